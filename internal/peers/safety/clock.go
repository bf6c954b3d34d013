package safety

import (
	"time"

	"github.com/google/uuid"
)

// Now is the clock; tests replace it.
var Now = time.Now

func now() time.Time { return Now().UTC().Truncate(time.Microsecond) }

func newID() string { return uuid.Must(uuid.NewV7()).String() }
