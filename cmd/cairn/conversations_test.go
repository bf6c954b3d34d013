package main

import (
	"context"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/programs"
)

func TestConversationsRotateKey(t *testing.T) {
	vars := newEnv(t)
	createProgram(t, vars, "Driftwood Alumni")
	for _, email := range []string{"sam@example.org", "ali@example.org"} {
		mustOK(t, cairn(t, with(vars, "CAIRN_USER_PASSWORD", "correct horse battery"), "user", "create",
			"--email", email, "--role", "alumnus"), "user create")
	}
	ctx := context.Background()
	a := openApp(t, vars)
	p, err := programs.FindByName(ctx, a.DB, "Driftwood Alumni")
	if err != nil {
		t.Fatal(err)
	}
	actor := func(email string) access.Actor {
		var id string
		if err := a.DB.QueryRow(ctx, `SELECT id FROM users WHERE email = ?`, email).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return access.Actor{UserID: id, ProgramID: p.ID, Role: access.Alumnus}
	}
	sam, ali := actor("sam@example.org"), actor("ali@example.org")
	c, _, err := conversations.Start(ctx, a.DB, sam, conversations.NewConversation{MemberIDs: []string{ali.UserID}, Body: "see you Tuesday"})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()

	r := cairn(t, vars, "conversations", "rotate-key")
	mustOK(t, r, "conversations rotate-key")
	if !strings.Contains(r.stdout, "1 messages re-encrypted") {
		t.Errorf("stdout %q", r.stdout)
	}
	a = openApp(t, vars)
	msgs, err := conversations.Messages(ctx, a.DB, ali, c.ID, conversations.Page{})
	if err != nil || len(msgs) != 1 || msgs[0].Body != "see you Tuesday" {
		t.Fatalf("after rotation: %+v, %v", msgs, err)
	}
	a.Close()
	if r := cairn(t, vars, "conversations", "spin"); r.code == 0 {
		t.Error("an unknown action succeeded")
	}
}
