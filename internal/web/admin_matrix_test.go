package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/api"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/metrics"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/peers/buddies"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// admActors are the columns of the access matrix, in the order of
// admWant's entries: a visitor, one person of every role in the program,
// and an admin of another program.
var admActors = []string{"anonymous", "alumnus", "family", "coach", "coordinator", "admin", "outsider"}

// admWant is the expected status for each of admActors.
type admWant [7]int

// admEveryone expects the same status for everybody.
func admEveryone(code int) admWant { return admWant{code, code, code, code, code, code, code} }

// admSignedIn expects a visitor to be sent to sign in and every signed-in
// person to get code.
func admSignedIn(code int) admWant {
	return admWant{http.StatusSeeOther, code, code, code, code, code, code}
}

// admOnly expects a visitor to be sent to sign in, the named actors to get
// code and everyone else the not-found page.
func admOnly(code int, actors ...string) admWant {
	w := admWant{http.StatusSeeOther}
	for i := 1; i < len(admActors); i++ {
		w[i] = http.StatusNotFound
		for _, a := range actors {
			if a == admActors[i] {
				w[i] = code
			}
		}
	}
	return w
}

// admFixture holds the ids the matrix substitutes into patterns.
type admFixture struct {
	e *webEnv
	// alumnusSession is a spare session of the alumnus, for the revoke row.
	alumnusSession string
	inviteToken    string
	resetToken     string
	outboxID       string
	// retryJobID and discardJobID are discarded jobs of the program.
	retryJobID, discardJobID int64
}

// admRow is one registered route pattern and what each actor gets there.
type admRow struct {
	pattern string
	// path returns the concrete path; it may create what the request
	// consumes, so that each cell starts from the same state.
	path func(f *admFixture) string
	want admWant
}

func admStatic(p string) func(*admFixture) string { return func(*admFixture) string { return p } }

// admMatrix lists every route of the server. TestAccessMatrix fails when a
// registered pattern has no row here, or a row names no registered pattern.
func admMatrix() []admRow {
	const ok, see, unproc, nf = http.StatusOK, http.StatusSeeOther, http.StatusUnprocessableEntity, http.StatusNotFound
	alumnusID := func(f *admFixture) string { return f.e.users[access.Alumnus].ID }
	return append(circRows(), []admRow{
		// Public pages.
		{"GET /{$}", admStatic("/"), admWant{ok, see, see, see, see, see, see}},
		{"GET /healthz", admStatic("/healthz"), admEveryone(ok)},
		{"GET /readyz", admStatic("/readyz"), admEveryone(ok)},
		{"GET /static/", admStatic("/static/app.css"), admEveryone(ok)},
		// Metrics, switched on: neither a session of any role nor a remote
		// address reaches them (loopback and admin tokens: metrics_test.go).
		{"GET /metrics", func(f *admFixture) string {
			if f.e.srv.metrics == nil {
				f.e.srv.metrics = metrics.New(f.e.db)
			}
			return "/metrics"
		}, admEveryone(nf)},

		// Sign-in and the links sent by email.
		{"GET /signin", admStatic("/signin"), admWant{ok, see, see, see, see, see, see}},
		{"POST /signin", admStatic("/signin"), admEveryone(unproc)},
		{"GET /signin/verify", admStatic("/signin/verify"), admEveryone(see)},
		{"POST /signin/verify", admStatic("/signin/verify"), admEveryone(see)},
		{"GET /signin/enrol", admStatic("/signin/enrol"), admEveryone(see)},
		{"POST /signin/enrol", admStatic("/signin/enrol"), admEveryone(see)},
		{"POST /signout", admStatic("/signout"), admEveryone(see)},
		{"GET /invite/{token}", func(f *admFixture) string { return "/invite/" + f.inviteToken }, admEveryone(ok)},
		{"POST /invite/{token}", func(f *admFixture) string { return "/invite/" + f.inviteToken }, admEveryone(unproc)},
		{"GET /reset", admStatic("/reset"), admEveryone(ok)},
		{"POST /reset", admStatic("/reset"), admEveryone(unproc)},
		{"GET /reset/{token}", func(f *admFixture) string { return "/reset/" + f.resetToken }, admEveryone(ok)},
		{"POST /reset/{token}", func(f *admFixture) string { return "/reset/" + f.resetToken }, admEveryone(unproc)},

		// The signed-in person's own pages.
		{"GET /home", admStatic("/home"), admSignedIn(ok)},
		{"GET /account", admStatic("/account"), admSignedIn(ok)},
		{"POST /account/password", admStatic("/account/password"), admSignedIn(unproc)},
		{"GET /account/sessions", admStatic("/account/sessions"), admSignedIn(ok)},
		{"POST /account/sessions/{id}/revoke", func(f *admFixture) string {
			return "/account/sessions/" + f.alumnusSession + "/revoke"
		}, admOnly(see, "alumnus")},

		// API tokens, and the JSON API itself (it answers 401, not a
		// redirect, to a visitor).
		{"GET /account/tokens", admStatic("/account/tokens"), admSignedIn(ok)},
		{"POST /account/tokens", admStatic("/account/tokens"), admSignedIn(ok)},
		{"POST /account/tokens/{id}/revoke", func(f *admFixture) string {
			_, tok, err := f.e.auth.CreateToken(context.Background(), f.e.users[access.Alumnus].Actor("matrix"), "matrix")
			if err != nil {
				f.e.t.Fatal(err)
			}
			return "/account/tokens/" + tok.ID + "/revoke"
		}, admOnly(see, "alumnus")},
		{"/api/", func(f *admFixture) string {
			if f.e.srv.api == nil {
				f.e.srv.api = api.New(api.Deps{DB: f.e.db, Auth: f.e.auth, CookieName: f.e.srv.cookieName()})
			}
			return "/api/v1/me"
		}, admWant{http.StatusUnauthorized, ok, ok, ok, ok, ok, ok}},

		{"GET /admin", admStatic("/admin"), admOnly(ok, "coach", "coordinator", "admin", "outsider")},
		{"GET /admin/people", admStatic("/admin/people"), admOnly(ok, "coordinator", "admin", "outsider")},
		{"GET /admin/people/{id}", func(f *admFixture) string { return "/admin/people/" + alumnusID(f) }, admOnly(ok, "coordinator", "admin")},
		{"POST /admin/people/{id}/role", func(f *admFixture) string { return "/admin/people/" + alumnusID(f) + "/role" }, admOnly(unproc, "admin")},
		{"POST /admin/people/{id}/disable", func(f *admFixture) string { return "/admin/people/" + alumnusID(f) + "/disable" }, admOnly(unproc, "admin")},
		{"POST /admin/people/{id}/enable", func(f *admFixture) string { return "/admin/people/" + alumnusID(f) + "/enable" }, admOnly(see, "admin")},
		{"GET /admin/invitations", admStatic("/admin/invitations"), admOnly(ok, "coach", "coordinator", "admin", "outsider")},
		{"POST /admin/invitations", admStatic("/admin/invitations"), admOnly(unproc, "coach", "coordinator", "admin", "outsider")},
		{"POST /admin/invitations/{id}/revoke", func(f *admFixture) string {
			inv, _, err := f.e.auth.Invite(context.Background(), f.e.users[access.Admin].Actor("matrix"),
				fmt.Sprintf("revoke-%s@example.test", randomString(6)), access.Alumnus)
			if err != nil {
				f.e.t.Fatal(err)
			}
			return "/admin/invitations/" + inv.ID + "/revoke"
		}, admOnly(see, "coach", "coordinator", "admin")},
		{"GET /admin/audit", admStatic("/admin/audit"), admOnly(ok, "admin", "outsider")},
		{"GET /admin/program", admStatic("/admin/program"), admOnly(ok, "admin", "outsider")},
		{"POST /admin/program", admStatic("/admin/program"), admOnly(unproc, "admin", "outsider")},
		{"GET /admin/outbox", admStatic("/admin/outbox"), admOnly(ok, "admin", "outsider")},
		{"GET /admin/outbox/{id}", func(f *admFixture) string { return "/admin/outbox/" + f.outboxID }, admOnly(ok, "admin")},
		{"GET /admin/jobs", admStatic("/admin/jobs"), admOnly(ok, "admin", "outsider")},
		{"POST /admin/jobs/{id}/retry", func(f *admFixture) string { return fmt.Sprintf("/admin/jobs/%d/retry", f.retryJobID) }, admOnly(see, "admin")},
		{"POST /admin/jobs/{id}/discard", func(f *admFixture) string { return fmt.Sprintf("/admin/jobs/%d/discard", f.discardJobID) }, admOnly(see, "admin")},

		// Notifications: each cell gets a fresh notification of the alumnus.
		{"GET /notifications", admStatic("/notifications"), admSignedIn(ok)},
		{"POST /notifications/{id}/read", func(f *admFixture) string {
			return "/notifications/" + admNotification(f) + "/read"
		}, admOnly(see, "alumnus")},
		{"POST /notifications/read-all", admStatic("/notifications/read-all"), admSignedIn(see)},
		{"GET /account/notifications", admStatic("/account/notifications"), admSignedIn(ok)},
		{"POST /account/notifications", admStatic("/account/notifications"), admSignedIn(see)},
		{"GET /unsubscribe/{token}", func(f *admFixture) string {
			return "/unsubscribe/" + notify.UnsubscribeToken(alumnusID(f), notify.KindDigest)
		}, admEveryone(ok)},
		{"POST /unsubscribe/{token}", func(f *admFixture) string {
			return "/unsubscribe/" + notify.UnsubscribeToken(alumnusID(f), notify.KindDigest)
		}, admEveryone(ok)},

		// Recovery dates and milestones (members_recovery.go).
		{"GET /recovery", admStatic("/recovery"), admOnly(ok, "alumnus")},
		{"POST /recovery", admStatic("/recovery"), admOnly(unproc, "alumnus")},
		{"POST /recovery/settings", admStatic("/recovery/settings"), admOnly(see, "alumnus")},
		{"GET /milestones", admStatic("/milestones"), admOnly(ok, "alumnus")},
		{"GET /staff/milestones", admStatic("/staff/milestones"), admOnly(ok, "coach", "coordinator", "admin", "outsider")},
		// The coach's page for a member's date, with the member's permission
		// on: only the assigned coach uses it; the member is sent to their own.
		{"GET /members/{id}/recovery-date", admCoachMayEdit, admWant{see, see, nf, ok, nf, nf, nf}},
		{"POST /members/{id}/recovery-date", admCoachMayEdit, admWant{see, see, nf, unproc, nf, nf, nf}},

		// Family links and consent (members_family.go).
		{"GET /family", admStatic("/family"), admWant{see, see, ok, nf, nf, nf, nf}},
		{"GET /family/consents", admStatic("/family/consents"), admOnly(ok, "alumnus")},
		{"GET /family/consents/new", admStatic("/family/consents/new"), admOnly(ok, "alumnus")},
		{"POST /family/consents/new", admStatic("/family/consents/new"), admOnly(unproc, "alumnus")},
		{"POST /family/consents/{id}/revoke", func(f *admFixture) string {
			return "/family/consents/" + famMatrixConsent(f) + "/revoke"
		}, admOnly(see, "alumnus")},
		{"GET /family/disclosures", admStatic("/family/disclosures"), admOnly(ok, "alumnus")},
		{"GET /family/disclosures.csv", admStatic("/family/disclosures.csv"), admOnly(ok, "alumnus")},

		// Profiles and the directory (members_profile.go, members_directory.go).
		{"GET /profile", admStatic("/profile"), admOnly(ok, "alumnus", "coach", "coordinator", "admin", "outsider")},
		{"POST /profile", admStatic("/profile"), admOnly(unproc, "alumnus", "coach", "coordinator", "admin", "outsider")},
		{"GET /members/{id}", func(f *admFixture) string { return "/members/" + alumnusID(f) }, admOnly(ok, "alumnus", "coach", "coordinator", "admin")},
		{"POST /profile/photo", admStatic("/profile/photo"), admOnly(http.StatusBadRequest, "alumnus", "coach", "coordinator", "admin", "outsider")},
		{"POST /profile/photo/remove", admStatic("/profile/photo/remove"), admOnly(see, "alumnus", "coach", "coordinator", "admin", "outsider")},
		{"GET /members/{id}/photo", func(f *admFixture) string { return "/members/" + prfMatrixPhoto(f) + "/photo" }, admOnly(ok, "alumnus", "coach", "coordinator", "admin")},
		// Coach caseloads (caseload.go): an empty form names the missing coach.
		{"GET /caseload", admStatic("/caseload"), admOnly(ok, "coach")},
		{"GET /members/{id}/coach", func(f *admFixture) string { return "/members/" + alumnusID(f) + "/coach" }, admOnly(ok, "coordinator", "admin")},
		{"POST /members/{id}/coach", func(f *admFixture) string { return "/members/" + alumnusID(f) + "/coach" }, admOnly(unproc, "coordinator", "admin")},
		// The support page after crisis language (support.go): everyone signed
		// in sees the numbers; members ask their coach to reach out.
		{"GET /support/now", admStatic("/support/now?next=/home"), admSignedIn(ok)},
		{"POST /support/reach-out", admStatic("/support/reach-out"), admOnly(see, "alumnus", "family")},
		{"GET /admin/interests", admStatic("/admin/interests"), admOnly(ok, "coordinator", "admin", "outsider")},
		{"POST /admin/interests", admStatic("/admin/interests"), admOnly(see, "coordinator", "admin", "outsider")},
		{"GET /directory", admStatic("/directory"), admOnly(ok, "alumnus", "coach", "coordinator", "admin", "outsider")},

		// Roster import (members_roster.go): each cell gets a fresh upload by the admin.
		{"GET /admin/roster", admStatic("/admin/roster"), admOnly(ok, "coordinator", "admin", "outsider")},
		{"POST /admin/roster", admStatic("/admin/roster"), admOnly(unproc, "coordinator", "admin", "outsider")},
		{"GET /admin/roster/{id}", func(f *admFixture) string { return "/admin/roster/" + admRosterUpload(f) }, admOnly(ok, "admin")},
		{"POST /admin/roster/{id}/import", func(f *admFixture) string { return "/admin/roster/" + admRosterUpload(f) + "/import" }, admOnly(ok, "admin")},

		// My data and deletion requests (members_export.go): each confirm cell gets a fresh member's request.
		{"GET /account/data", admStatic("/account/data"), admSignedIn(ok)},
		{"GET /account/export", admStatic("/account/export"), admSignedIn(ok)},
		{"POST /account/delete-request", admStatic("/account/delete-request"), admWant{see, see, see, nf, nf, nf, nf}},
		{"GET /admin/deletions", admStatic("/admin/deletions"), admOnly(ok, "coordinator", "admin", "outsider")},
		{"POST /admin/deletions/{id}/confirm", func(f *admFixture) string { return "/admin/deletions/" + admDeletionRequest(f) + "/confirm" }, admOnly(see, "admin")},

		// Calendar downloads and feeds (events_feeds.go): an event for alumni
		// and family; the alumnus' private feed (the token is the key); the
		// program's public calendar and Meeting Guide feed.
		{"GET /events/{file}", func(f *admFixture) string { return "/events/" + evfMatrixEvent(f) + ".ics" }, admOnly(ok, "alumnus", "family", "coach", "coordinator", "admin")},
		{"GET /calendar/{file}", func(f *admFixture) string { return "/calendar/" + evfMatrixFeed(f) + ".ics" }, admEveryone(ok)},
		{"GET /programs/{program}/events.ics", func(f *admFixture) string { return "/programs/" + f.e.program.ID + "/events.ics" }, admEveryone(ok)},
		{"GET /programs/{program}/meetings.json", func(f *admFixture) string { return "/programs/" + f.e.program.ID + "/meetings.json" }, admEveryone(ok)},

		// Events pages (events*.go): each cell gets a fresh family dinner for
		// alumni and family a week ahead (a milestone dinner for the
		// honoree pages), so that what one cell changes no other sees.
		{"GET /events", admStatic("/events"), admSignedIn(ok)},
		{"GET /events/mine", admStatic("/events/mine"), admSignedIn(ok)},
		{"GET /events/new", admStatic("/events/new"), admOnly(ok, "coordinator", "admin", "outsider")},
		{"POST /events/new", admStatic("/events/new"), admOnly(unproc, "coordinator", "admin", "outsider")},
		{"GET /events/{id}/edit", func(f *admFixture) string { return "/events/" + evwMatrixEvent(f, events.FamilyDinner).ID + "/edit" }, admOnly(ok, "coordinator", "admin")},
		{"POST /events/{id}/edit", func(f *admFixture) string { return "/events/" + evwMatrixEvent(f, events.FamilyDinner).ID + "/edit" }, admOnly(unproc, "coordinator", "admin")},
		{"POST /events/{id}/delete", func(f *admFixture) string { return "/events/" + evwMatrixEvent(f, events.FamilyDinner).ID + "/delete" }, admOnly(see, "coordinator", "admin")},
		{"GET /events/{id}/{occ}", func(f *admFixture) string { return evwMatrixOcc(f, events.FamilyDinner, "") }, admOnly(ok, "alumnus", "family", "coach", "coordinator", "admin")},
		{"POST /events/{id}/{occ}/rsvp", func(f *admFixture) string { return evwMatrixOcc(f, events.FamilyDinner, "/rsvp") }, admOnly(unproc, "alumnus", "family", "coach", "coordinator", "admin")},
		{"POST /events/{id}/{occ}/rsvp/cancel", func(f *admFixture) string { return evwMatrixOcc(f, events.FamilyDinner, "/rsvp/cancel") }, admOnly(see, "alumnus", "family", "coach", "coordinator", "admin")},
		{"POST /events/{id}/{occ}/move", func(f *admFixture) string { return evwMatrixOcc(f, events.FamilyDinner, "/move") }, admOnly(unproc, "coordinator", "admin")},
		{"POST /events/{id}/{occ}/cancel", func(f *admFixture) string { return evwMatrixOcc(f, events.FamilyDinner, "/cancel") }, admOnly(see, "coordinator", "admin")},
		{"GET /events/{id}/{occ}/checkin", func(f *admFixture) string { return evwMatrixOcc(f, events.FamilyDinner, "/checkin") }, admOnly(ok, "coach", "coordinator", "admin")},
		{"POST /events/{id}/{occ}/checkin", func(f *admFixture) string { return evwMatrixOcc(f, events.FamilyDinner, "/checkin") }, admOnly(http.StatusBadRequest, "coach", "coordinator", "admin")},
		{"POST /events/{id}/{occ}/checkin/undo", func(f *admFixture) string { return evwMatrixOcc(f, events.FamilyDinner, "/checkin/undo") }, admOnly(http.StatusBadRequest, "coach", "coordinator", "admin")},
		{"POST /events/{id}/{occ}/checkin/walkin", func(f *admFixture) string { return evwMatrixOcc(f, events.FamilyDinner, "/checkin/walkin") }, admOnly(unproc, "coach", "coordinator", "admin")},
		{"GET /events/checkin", admStatic("/events/checkin"), admSignedIn(ok)},
		{"POST /events/checkin", admStatic("/events/checkin"), admSignedIn(unproc)},
		{"GET /events/{id}/{occ}/honorees", func(f *admFixture) string { return evwMatrixOcc(f, events.MilestoneDinner, "/honorees") }, admOnly(ok, "coordinator", "admin")},
		{"POST /events/{id}/{occ}/honorees", func(f *admFixture) string { return evwMatrixOcc(f, events.MilestoneDinner, "/honorees") }, admOnly(unproc, "coordinator", "admin")},
		{"POST /events/{id}/{occ}/honorees/{user}/remove", func(f *admFixture) string {
			return evwMatrixOcc(f, events.MilestoneDinner, "/honorees/"+alumnusID(f)+"/remove")
		}, admOnly(see, "coordinator", "admin")},
		{"POST /events/{id}/{occ}/honorees/invite", func(f *admFixture) string { return evwMatrixOcc(f, events.MilestoneDinner, "/honorees/invite") }, admOnly(see, "coordinator", "admin")},
		{"GET /events/{id}/{occ}/namecards", func(f *admFixture) string { return evwMatrixOcc(f, events.MilestoneDinner, "/namecards") }, admOnly(ok, "coordinator", "admin")},
		{"GET /events/honour", admStatic("/events/honour"), admOnly(ok, "alumnus")},
		{"POST /events/honour", admStatic("/events/honour"), admOnly(unproc, "alumnus")},
		{"GET /events/calendar", admStatic("/events/calendar"), admSignedIn(ok)},
		{"POST /events/calendar", admStatic("/events/calendar"), admSignedIn(unproc)},
		{"GET /admin/events", admStatic("/admin/events"), admOnly(ok, "coordinator", "admin", "outsider")},
		{"POST /admin/events", admStatic("/admin/events"), admOnly(see, "coordinator", "admin", "outsider")},

		// Safety (safety.go, moderation.go): each cell gets a fresh alumnus
		// to block or report, and a fresh report for the moderation pages.
		{"GET /members/{id}/block", func(f *admFixture) string { return "/members/" + sftMatrixPerson(f) + "/block" }, admOnly(ok, "alumnus")},
		{"POST /members/{id}/block", func(f *admFixture) string { return "/members/" + sftMatrixPerson(f) + "/block" }, admOnly(see, "alumnus")},
		{"GET /account/blocks", admStatic("/account/blocks"), admOnly(ok, "alumnus", "family")},
		{"POST /account/blocks/{id}/unblock", func(f *admFixture) string { return "/account/blocks/" + sftMatrixPerson(f) + "/unblock" }, admOnly(see, "alumnus", "family")},
		{"GET /report", func(f *admFixture) string { return "/report?kind=person&id=" + sftMatrixPerson(f) }, admOnly(ok, "alumnus", "coach", "coordinator", "admin")},
		{"POST /report", func(f *admFixture) string { return "/report?kind=person&id=" + sftMatrixPerson(f) }, admOnly(unproc, "alumnus", "coach", "coordinator", "admin")},
		{"GET /moderation", admStatic("/moderation"), admOnly(ok, "coach", "coordinator", "admin", "outsider")},
		{"GET /moderation/{id}", func(f *admFixture) string { return "/moderation/" + sftMatrixReport(f) }, admOnly(ok, "coach", "coordinator", "admin")},
		{"POST /moderation/{id}", func(f *admFixture) string { return "/moderation/" + sftMatrixReport(f) }, admOnly(unproc, "coach", "coordinator", "admin")},
		{"GET /admin/message-keys", admStatic("/admin/message-keys"), admOnly(ok, "admin", "outsider")},
		{"POST /admin/message-keys/rotate", admStatic("/admin/message-keys/rotate"), admOnly(see, "admin", "outsider")},
		{"GET /moderation/{id}/conversation", func(f *admFixture) string { return "/moderation/" + sftMatrixMessageReport(f) + "/conversation" }, admOnly(ok, "coach", "coordinator", "admin")},

		// Buddies (buddies*.go): alumni have their own page, coordinators
		// and admins are sent to theirs; each answer row gets a fresh
		// proposal of the alumnus.
		{"GET /buddies", admStatic("/buddies"), admWant{see, ok, nf, nf, see, see, see}},
		{"POST /buddies/offer", admStatic("/buddies/offer"), admOnly(unproc, "alumnus")},
		{"POST /buddies/offer/status", admStatic("/buddies/offer/status"), admOnly(unproc, "alumnus")},
		{"POST /buddies/request", func(f *admFixture) string {
			_ = buddies.WithdrawRequest(context.Background(), f.e.db, f.e.users[access.Alumnus].Actor("matrix"))
			return "/buddies/request"
		}, admOnly(see, "alumnus")},
		{"POST /buddies/request/withdraw", func(f *admFixture) string { return bdyWithdrawable(f.e) }, admOnly(see, "alumnus")},
		{"POST /buddies/proposals/{id}/accept", func(f *admFixture) string { return "/buddies/proposals/" + bdyProposal(f.e, true) + "/accept" }, admOnly(see, "alumnus")},
		{"POST /buddies/proposals/{id}/decline", func(f *admFixture) string { return "/buddies/proposals/" + bdyProposal(f.e, true) + "/decline" }, admOnly(see, "alumnus")},
		{"POST /buddies/pairings/{id}/end", func(f *admFixture) string { return "/buddies/pairings/" + bdyPairing(f.e) + "/end" }, admOnly(see, "alumnus")},
		{"GET /buddies/coordinate", admStatic("/buddies/coordinate"), admOnly(ok, "coordinator", "admin", "outsider")},
		{"POST /buddies/coordinate/run", admStatic("/buddies/coordinate/run"), admOnly(see, "coordinator", "admin", "outsider")},
		{"POST /buddies/coordinate/send", admStatic("/buddies/coordinate/send"), admOnly(see, "coordinator", "admin", "outsider")},
		{"POST /buddies/coordinate/proposals/{id}/drop", func(f *admFixture) string {
			return "/buddies/coordinate/proposals/" + bdyProposal(f.e, false) + "/drop"
		}, admOnly(see, "coordinator", "admin")},
		{"POST /buddies/coordinate/settings", admStatic("/buddies/coordinate/settings"), admOnly(unproc, "coordinator", "admin", "outsider")},

		// Conversations (conversations*.go): each cell gets a fresh
		// conversation of the alumnus and the coach; an empty form names the
		// missing field.
		{"GET /conversations", admStatic("/conversations"), admSignedIn(ok)},
		{"GET /conversations/new", admStatic("/conversations/new"), admSignedIn(ok)},
		{"POST /conversations", admStatic("/conversations"), admSignedIn(unproc)},
		{"GET /conversations/unread", admStatic("/conversations/unread"), admSignedIn(ok)},
		{"GET /conversations/{id}", func(f *admFixture) string { return "/conversations/" + cnvMatrixConv(f) }, admOnly(ok, "alumnus", "coach")},
		{"GET /conversations/{id}/messages", func(f *admFixture) string { return "/conversations/" + cnvMatrixConv(f) + "/messages" }, admOnly(ok, "alumnus", "coach")},
		{"POST /conversations/{id}/messages", func(f *admFixture) string { return "/conversations/" + cnvMatrixConv(f) + "/messages" }, admOnly(unproc, "alumnus", "coach")},
		{"POST /conversations/{id}/read", func(f *admFixture) string { return "/conversations/" + cnvMatrixConv(f) + "/read" }, admOnly(see, "alumnus", "coach")},
		{"POST /conversations/{id}/mute", func(f *admFixture) string { return "/conversations/" + cnvMatrixConv(f) + "/mute" }, admOnly(see, "alumnus", "coach")},

		// Live updates: a stopped hub, so that the stream ends at once.
		{"GET /live", func(f *admFixture) string { f.e.srv.liveHub = admStoppedHub(f.e.db); return "/live" }, admSignedIn(ok)},
	}...)
}

// admRosterUpload stores a one-person roster uploaded by the admin.
func admRosterUpload(f *admFixture) string {
	csv := fmt.Sprintf("first_name,email\nRo,roster-%s@example.test\n", strings.ToLower(randomString(6)))
	id, err := members.SaveRosterUpload(context.Background(), f.e.db, f.e.users[access.Admin].Actor("matrix"), []byte(csv), time.Now())
	if err != nil {
		f.e.t.Fatal(err)
	}
	return id
}

// admDeletionRequest makes a new alumnus who asks for deletion.
func admDeletionRequest(f *admFixture) string {
	ctx := context.Background()
	u, err := f.e.auth.CreateUser(ctx, access.System(f.e.program.ID), auth.NewUser{ProgramID: f.e.program.ID,
		Email: fmt.Sprintf("leaving-%s@example.test", strings.ToLower(randomString(6))), FirstName: "Lee", Role: access.Alumnus, Password: testPassword})
	if err != nil {
		f.e.t.Fatal(err)
	}
	req, err := members.RequestDeletion(ctx, f.e.db, u.Actor("matrix"), time.Now())
	if err != nil {
		f.e.t.Fatal(err)
	}
	return req.ID
}

// admCoachMayEdit makes the coach the alumnus' coach, with the alumnus'
// permission to set their recovery date, and returns the coach's page.
func admCoachMayEdit(f *admFixture) string {
	ctx := context.Background()
	alumnus := f.e.users[access.Alumnus]
	err := f.e.db.Tx(ctx, func(tx *db.Tx) error {
		return members.AssignCoach(ctx, tx, f.e.program.ID, alumnus.ID, f.e.users[access.Coach].ID)
	})
	if err == nil {
		err = members.SaveRecoverySettings(ctx, f.e.db, alumnus.Actor("matrix"), members.RecoverySettings{CoachMayEdit: true})
	}
	if err != nil {
		f.e.t.Fatal(err)
	}
	return "/members/" + alumnus.ID + "/recovery-date"
}

// admNotification sends the alumnus a notification and returns its id.
func admNotification(f *admFixture) string {
	var id string
	err := f.e.db.Tx(context.Background(), func(tx *db.Tx) error {
		var err error
		id, err = notify.Send(context.Background(), tx, f.e.users[access.Alumnus].ID, notify.KindMessage, notify.Data{Title: "Matrix"})
		return err
	})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return id
}

var admResetLink = regexp.MustCompile(`/reset/([A-Za-z0-9_-]{22})`)

// newAdmFixture prepares the ids the rows use.
func newAdmFixture(t *testing.T, e *webEnv) *admFixture {
	t.Helper()
	ctx := context.Background()
	f := &admFixture{e: e}
	_, sess := admSession(t, e, e.users[access.Alumnus])
	f.alumnusSession = sess.ID
	_, link, err := e.auth.Invite(ctx, e.users[access.Admin].Actor("matrix"), "invited@example.test", access.Alumnus)
	if err != nil {
		t.Fatal(err)
	}
	f.inviteToken = link[strings.LastIndexByte(link, '/')+1:]
	if err := e.db.QueryRow(ctx, `SELECT id FROM mail_outbox WHERE to_address = ?`, "invited@example.test").Scan(&f.outboxID); err != nil {
		t.Fatal(err)
	}
	if err := e.auth.RequestReset(ctx, e.users[access.Family].Email, "192.0.2.9", "matrix"); err != nil {
		t.Fatal(err)
	}
	var body string
	if err := e.db.QueryRow(ctx, `SELECT body_text FROM mail_outbox WHERE to_address = ?`, e.users[access.Family].Email).Scan(&body); err != nil {
		t.Fatal(err)
	}
	m := admResetLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no reset link in the reset email")
	}
	f.resetToken = m[1]
	_, jobIDs := startWebJobs(t, e, 2)
	f.retryJobID, f.discardJobID = jobIDs[0], jobIDs[1]
	return f
}

// admActorUser returns the account of a matrix column (nil for anonymous).
func admActorUser(e *webEnv, name string) *auth.User {
	switch name {
	case "anonymous":
		return nil
	case "outsider":
		return e.outsider
	}
	return e.users[access.Role(name)]
}

func TestAccessMatrix(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := admEnv(t, d)
		f := newAdmFixture(t, e)
		rows := admMatrix()

		byPattern := map[string]admRow{}
		for _, row := range rows {
			if _, dup := byPattern[row.pattern]; dup {
				t.Errorf("matrix has two rows for %q", row.pattern)
			}
			byPattern[row.pattern] = row
		}
		levels := map[string]level{}
		for _, rt := range e.srv.routes {
			levels[rt.pattern] = rt.level
			if _, ok := byPattern[rt.pattern]; !ok {
				t.Errorf("route %q has no row in the access matrix: add one to admMatrix", rt.pattern)
			}
		}
		for _, row := range rows {
			if _, ok := levels[row.pattern]; !ok {
				t.Errorf("matrix row %q names no registered route", row.pattern)
			}
		}

		for i, row := range rows {
			method, _, hasMethod := strings.Cut(row.pattern, " ")
			if !hasMethod {
				method = http.MethodGet // a pattern for every method, such as "/api/"
			}
			for col, name := range admActors {
				want := row.want[col]
				cookie := ""
				if u := admActorUser(e, name); u != nil {
					cookie, _ = admSession(t, e, u)
				}
				path := row.path(f)
				var form url.Values
				if method == http.MethodPost {
					// An empty form, or one that fails validation; the
					// e-mail differs per cell so that sign-in throttling
					// does not mix the cells up.
					form = url.Values{"email": {fmt.Sprintf("nobody-%d-%d@example.test", i, col)}}
					if row.pattern == "POST /admin/invitations" || row.pattern == "POST /reset" {
						form = url.Values{}
					}
				}
				rec := admRequest(t, e, method, path, form, cookie, fmt.Sprintf("198.51.100.%d:1234", (i*len(admActors)+col)%250+1))
				if rec.Code != want {
					t.Errorf("%s as %s (%s): status %d, want %d", row.pattern, name, path, rec.Code, want)
					continue
				}
				switch {
				case want == http.StatusSeeOther && name == "anonymous" && levels[row.pattern] != public:
					if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, "/signin") {
						t.Errorf("%s as anonymous: redirect to %q, want /signin", row.pattern, loc)
					}
				case want == http.StatusNotFound && strings.Contains(row.pattern, " /admin"):
					// Not allowed must read exactly like not found.
					if !strings.Contains(rec.Body.String(), "We could not find that page.") {
						t.Errorf("%s as %s: 404 is not the not-found page", row.pattern, name)
					}
				}
			}
		}
	})
}

// admRequest sends a request from remote as the holder of cookie ("" for a
// visitor).
func admRequest(t *testing.T, e *webEnv, method, path string, form url.Values, cookie, remote string) *httptest.ResponseRecorder {
	t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, "http://cairn.test"+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, "http://cairn.test"+path, nil)
	}
	if remote != "" {
		req.RemoteAddr = remote
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: e.srv.cookieName(), Value: cookie})
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// admStoppedHub returns a live hub that has already stopped: its streams
// answer 200 and end at once, which is all the matrix needs.
func admStoppedHub(d *db.DB) *live.Hub {
	h := live.NewHub(d, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = h.Run(ctx)
	return h
}
