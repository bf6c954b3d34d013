package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// notifySend sends userID a notification and returns its id.
func notifySend(t *testing.T, d *db.DB, userID string, kind notify.Kind, title string) string {
	t.Helper()
	var id string
	err := d.Tx(context.Background(), func(tx *db.Tx) error {
		var err error
		id, err = notify.Send(context.Background(), tx, userID, kind, notify.Data{Title: title, Body: "Details here.", Link: "/home"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestNotificationsPages(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		alex := e.users[access.Alumnus]
		cookie := e.signIn(alex)

		rec := e.do("GET", "/home", nil, cookie)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `<a href="/notifications" class="bell" id="bell">Notifications<span id="bell-count"></span></a>`) {
			t.Fatalf("home without notifications: %d, bell missing or counted:\n%s", rec.Code, rec.Body)
		}
		first := notifySend(t, d, alex.ID, notify.KindMilestone, "Thirty days & counting")
		notifySend(t, d, alex.ID, notify.KindEventReminder, "Meeting tomorrow")
		other := notifySend(t, d, e.users[access.Family].ID, notify.KindMessage, "Not for Alex")

		for _, path := range []string{"/home", "/account"} {
			rec = e.do("GET", path, nil, cookie)
			if !strings.Contains(rec.Body.String(), `>Notifications<span id="bell-count"> (2 new)</span></a>`) {
				t.Errorf("%s: bell does not show 2 unread", path)
			}
		}
		rec = e.do("GET", "/notifications", nil, cookie)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, "Thirty days &amp; counting") || !strings.Contains(body, "Meeting tomorrow") {
			t.Fatalf("notifications page: %d\n%s", rec.Code, body)
		}
		if strings.Contains(body, "Not for Alex") {
			t.Error("the page shows someone else's notification")
		}
		if !strings.Contains(body, `action="/notifications/`+first+`/read"`) || !strings.Contains(body, `action="/notifications/read-all"`) {
			t.Error("mark-read forms missing")
		}
		if !strings.Contains(body, `aria-current="page">Notifications<span id="bell-count"> (2 new)`) {
			t.Error("the bell is not marked current on its page")
		}

		if rec = e.do("POST", "/notifications/"+other+"/read", url.Values{}, cookie); rec.Code != http.StatusNotFound {
			t.Errorf("marking someone else's read: %d, want 404", rec.Code)
		}
		if rec = e.do("POST", "/notifications/"+first+"/read", url.Values{}, cookie); rec.Code != http.StatusSeeOther {
			t.Fatalf("mark read: %d", rec.Code)
		}
		if rec = e.do("GET", "/home", nil, cookie); !strings.Contains(rec.Body.String(), `Notifications<span id="bell-count"> (1 new)`) {
			t.Error("bell does not show 1 unread after marking one read")
		}
		if rec = e.do("POST", "/notifications/read-all", url.Values{}, cookie); rec.Code != http.StatusSeeOther {
			t.Fatalf("read all: %d", rec.Code)
		}
		if rec = e.do("GET", "/home", nil, cookie); strings.Contains(rec.Body.String(), "new)") {
			t.Error("bell still counts after marking all read")
		}
		if rec = e.do("GET", "/notifications?after=garbage!", nil, cookie); rec.Code != http.StatusBadRequest {
			t.Errorf("bad cursor: %d, want 400", rec.Code)
		}
		if rec = e.do("GET", "/notifications", nil, ""); rec.Code != http.StatusSeeOther {
			t.Errorf("visitor: %d, want a redirect to sign in", rec.Code)
		}
	})
}

func TestNotificationPrefsForm(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		alex := e.users[access.Alumnus]
		cookie := e.signIn(alex)
		ctx := context.Background()
		actor := alex.Actor("test")

		rec := e.do("GET", "/account/notifications", nil, cookie)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, `name="pref.milestone.email" value="on" aria-label="Milestones: Email" checked`) ||
			strings.Contains(body, `name="pref.milestone.sms" value="on" aria-label="Milestones: Text message" checked`) {
			t.Fatalf("preferences page defaults wrong: %d\n%s", rec.Code, body)
		}
		if strings.Contains(body, "pref.account.") {
			t.Error("account mail has preferences")
		}

		cases := []struct {
			form  url.Values
			field string
			text  string
		}{
			{url.Values{"quiet_start": {"25:00"}, "quiet_end": {"07:00"}}, "quiet_start", "Quiet hours start must be a time between 00:00 and 23:59"},
			{url.Values{"quiet_start": {"22:00"}}, "quiet_end", "Quiet hours end is needed"},
			{url.Values{"time_zone": {"Nowhere/Special"}}, "time_zone", "is not a time zone name"},
			{url.Values{"pref.message.sms": {"on"}}, "sms_phone", "is needed to get text messages"},
			{url.Values{"sms_phone": {"12"}}, "sms_phone", "with its country code"},
		}
		for _, tc := range cases {
			rec := e.do("POST", "/account/notifications", tc.form, cookie)
			body := rec.Body.String()
			if rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("%v: %d, want 422", tc.form, rec.Code)
				continue
			}
			if !strings.Contains(body, `id="`+tc.field+`-error"`) || !strings.Contains(body, tc.text) {
				t.Errorf("%v: no error for %s saying %q", tc.form, tc.field, tc.text)
			}
			if v := tc.form.Get(tc.field); v != "" && !strings.Contains(body, `value="`+v+`"`) {
				t.Errorf("%v: what was typed is not kept", tc.form)
			}
		}
		if p, _ := notify.GetPrefs(ctx, d, actor); p.QuietStart != "" || p.SMSPhone != "" {
			t.Errorf("a rejected form changed the settings: %+v", p)
		}

		form := url.Values{"quiet_start": {"21:30"}, "quiet_end": {"06:45"}, "sms_phone": {"+1 (555) 010-0199"},
			"pref.message.inapp": {"on"}, "pref.message.email": {"on"}, "pref.message.sms": {"on"},
			"pref.support_request.inapp": {"on"}}
		if rec := e.do("POST", "/account/notifications", form, cookie); rec.Code != http.StatusSeeOther {
			t.Fatalf("valid form: %d\n%s", rec.Code, rec.Body)
		}
		p, err := notify.GetPrefs(ctx, d, actor)
		if err != nil {
			t.Fatal(err)
		}
		if p.QuietStart != "21:30" || p.QuietEnd != "06:45" || p.SMSPhone != "+15550100199" ||
			!p.On(notify.KindMessage, notify.ChannelSMS) || p.On(notify.KindMilestone, notify.ChannelEmail) ||
			p.On(notify.KindSupportRequest, notify.ChannelEmail) || !p.On(notify.KindSupportRequest, notify.ChannelInApp) {
			t.Errorf("saved %+v", p)
		}
		rec = e.do("GET", "/account/notifications", nil, cookie)
		if !strings.Contains(rec.Body.String(), `aria-label="Messages: Text message" checked`) || !strings.Contains(rec.Body.String(), `value="21:30"`) {
			t.Error("the page does not show what was saved")
		}
	})
}

func TestUnsubscribeOneClick(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		e := newWebEnv(t, d)
		alex := e.users[access.Alumnus]
		token := notify.UnsubscribeToken(alex.ID, notify.KindEventReminder)

		rec := e.do("GET", "/unsubscribe/"+token, nil, "")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `<form method="post" action="/unsubscribe/`+token+`">`) {
			t.Fatalf("confirm page: %d\n%s", rec.Code, rec.Body)
		}
		p, _ := notify.GetPrefs(context.Background(), d, alex.Actor("t"))
		if !p.On(notify.KindEventReminder, notify.ChannelEmail) {
			t.Fatal("the confirm page already unsubscribed")
		}
		// Change the last character, to one it is not.
		last := "x"
		if strings.HasSuffix(token, last) {
			last = "y"
		}
		for _, bad := range []string{token[:len(token)-1] + last, "nonsense", notify.UnsubscribeToken(alex.ID, notify.KindAccount)} {
			if rec := e.do("GET", "/unsubscribe/"+bad, nil, ""); rec.Code != http.StatusNotFound {
				t.Errorf("GET tampered token %q: %d, want 404", bad, rec.Code)
			}
			if rec := e.do("POST", "/unsubscribe/"+bad, url.Values{"List-Unsubscribe": {"One-Click"}}, ""); rec.Code != http.StatusNotFound {
				t.Errorf("POST tampered token %q: %d, want 404", bad, rec.Code)
			}
		}

		// A mail client's one-click POST: no session, no Origin, no
		// Sec-Fetch-Site, the RFC 8058 body.
		rec = e.do("POST", "/unsubscribe/"+token, url.Values{"List-Unsubscribe": {"One-Click"}}, "")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "event reminders") {
			t.Fatalf("one-click POST: %d\n%s", rec.Code, rec.Body)
		}
		p, _ = notify.GetPrefs(context.Background(), d, alex.Actor("t"))
		if p.On(notify.KindEventReminder, notify.ChannelEmail) || !p.On(notify.KindMessage, notify.ChannelEmail) {
			t.Errorf("after one-click: %+v", p.Enabled)
		}
	})
}
