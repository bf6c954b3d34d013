package events

import "time"

// now is the events code's clock; tests replace it.
var now = time.Now
