// Package mydata puts together, in one place, what Cairn does with
// everything it holds about one person across feature packages: the "my
// data" download (Export) and the deletion of an account
// (ConfirmDeletion). The web pages and the JSON API both call it, so that
// they never differ.
//
// internal/members holds the table-driven part and knows nothing of the
// packages that import it (circles, buddies) or that must shape their own
// records (conversations decrypts messages); this package passes their
// sections and forgetters to members explicitly. NotExported lists the
// references to a person that the download leaves out, each with its
// reason; a test fails when a table refers to users and is neither
// exported nor listed there.
package mydata

import (
	"context"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/peers/buddies"
	"github.com/cairn-recovery/cairn/internal/peers/circles"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/peers/crisis"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// Sections are the parts of the download that feature packages read
// themselves, in order.
var Sections = []members.ExportSection{
	{Name: "conversations", Columns: conversations.ExportColumns, Read: conversations.ExportMine},
	buddies.ExportSection,
}

// Forgetters run inside an account's deletion, before members removes its
// own tables.
var Forgetters = []members.Forgetter{
	circles.ForgetUser,
	buddies.ForgetUser,
	conversations.ForgetUser,
	safety.ForgetUser,
	crisis.ForgetUser,
}

// Export returns everything Cairn holds about the actor, for the web page
// and the API alike (see members.ExportMine; audited once as
// "export.self").
func Export(ctx context.Context, d *db.DB, actor access.Actor, now time.Time) (*members.Export, error) {
	return members.ExportMine(ctx, d, actor, now, Sections...)
}

// ConfirmDeletion carries out a waiting deletion request with every
// feature's forgetter (see members.ConfirmDeletion).
func ConfirmDeletion(ctx context.Context, d *db.DB, actor access.Actor, requestID string, now time.Time) error {
	return members.ConfirmDeletion(ctx, d, actor, requestID, now, Forgetters...)
}
