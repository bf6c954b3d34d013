// Package crisis notices crisis language in what members write (suicidal
// thoughts, self-harm, wanting to die, overdose intent) in English and
// Spanish, and answers a match: it records a flag (never the words) and
// tells the author's coach at once. It never blocks or changes what the
// member wrote; the web and API layers show the author the crisis numbers.
package crisis

import (
	"context"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Result is what Detect found in a text.
type Result struct {
	// Found reports that the text holds crisis language.
	Found bool
	// Lang is the language of the phrase that matched: "en" or "es"
	// ("" when nothing matched).
	Lang string
}

// Source names the content a flag is about, without its words.
type Source struct {
	// Kind is what was written: "message", "post", "comment", "note", ...
	Kind string
	// ID is the content's id.
	ID string
	// Link is the site path to the content, e.g. /conversations/ID.
	Link string
}

// Detect reports whether text holds crisis language. It is pure and fast:
// no database, no allocation beyond a small buffer for long texts.
func Detect(text string) Result {
	return detect(text)
}

// Flag records that author wrote crisis language in src and tells the
// author's coach(es) at once (an urgent notification, never delayed by
// quiet hours), inside tx. It never blocks or changes the content. A
// member with no coach (family members included) is the concern of the
// program's coordinators, or of its admins when it has no coordinator.
// At most one notification per member goes out in NotifyEvery; every
// flag is recorded and audited. For anyone but a member of a program
// (staff, the installation, a visitor) Flag does nothing.
func Flag(ctx context.Context, tx *db.Tx, author access.Actor, src Source) error {
	return flag(ctx, tx, author, src)
}

// member reports whether a is a member of a program (an alumnus or a
// family member), whose words Check and Flag look after.
func member(a access.Actor) bool {
	return !a.Anonymous() && !a.IsSystem() && a.ProgramID != "" && (a.Role == access.Alumnus || a.Role == access.Family)
}

// Check runs Detect on text and, on a match, Flag. It reports whether it
// matched. Only members' words are checked (alumni and family): staff
// write about crisis in their work ("if you have thoughts of suicide,
// call 988"), and flagging them would bury real alarms and send staff to
// the support page after every such message; for staff, the installation
// and visitors Check reports false.
func Check(ctx context.Context, tx *db.Tx, author access.Actor, text string, src Source) (bool, error) {
	if !member(author) || !Detect(text).Found {
		return false, nil
	}
	if err := Flag(ctx, tx, author, src); err != nil {
		return true, err
	}
	return true, nil
}
