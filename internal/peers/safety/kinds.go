package safety

import (
	"context"
	"sort"
	"sync"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Content is reported content as moderators see it.
type Content struct {
	// ProgramID is the program the content belongs to.
	ProgramID string
	// AuthorID is the person who wrote it (for a person, the person).
	AuthorID string
	// Excerpt is a short piece of the content for the moderation queue.
	Excerpt string
	// Link is where staff can see the content in place ("" when nowhere).
	Link string
	// Hidden reports whether staff have hidden the content.
	Hidden bool
}

// Kind lets a feature make its content reportable and hideable.
type Kind struct {
	// Load returns the content id names, or db.ErrNotFound when there is
	// none. It does no access check: the caller has checked.
	Load func(ctx context.Context, q db.Querier, id string) (Content, error)
	// Visible returns nil when actor may see (and so report) the content,
	// access.ErrNotFound otherwise.
	Visible func(ctx context.Context, q db.Querier, actor access.Actor, id string) error
	// SetHidden hides or shows the content again, inside the moderator's
	// transaction. It may be nil for a kind that cannot be hidden.
	SetHidden func(ctx context.Context, tx *db.Tx, id string, hidden bool) error
}

var (
	kindsMu sync.RWMutex
	kinds   = map[string]Kind{}
)

// RegisterKind makes kind name ("message", "post", "comment") reportable;
// call from an init or a Register function of the feature package.
// Registering a name again replaces the earlier kind.
func RegisterKind(name string, k Kind) {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	kinds[name] = k
}

// lookupKind returns the kind registered as name.
func lookupKind(name string) (Kind, bool) {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	k, ok := kinds[name]
	return k, ok && k.Load != nil && k.Visible != nil
}

// KindNames lists the registered kinds, sorted.
func KindNames() []string {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	out := make([]string, 0, len(kinds))
	for n := range kinds {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
