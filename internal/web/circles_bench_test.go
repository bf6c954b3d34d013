package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/peers/circles"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// BenchmarkCirclePage renders a circle's page of 20 posts (of 200, each
// with a comment and a reaction) for a member.
func BenchmarkCirclePage(b *testing.B) {
	e := newWebEnv(b, testkit.SQLite(b))
	c := circFixture(b, e, circles.KindInterest, circles.JoinOpen, true)
	alex := e.users[access.Alumnus].Actor("bench")
	ctx := context.Background()
	for i := range 200 {
		id, _, err := circles.CreatePost(ctx, e.db, alex, c.ID, fmt.Sprintf("Post %d with a link https://example.org/%d", i, i))
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := circles.AddComment(ctx, e.db, alex, c.ID, id, "Yes"); err != nil {
			b.Fatal(err)
		}
		if _, err := circles.React(ctx, e.db, alex, c.ID, id, "heart"); err != nil {
			b.Fatal(err)
		}
	}
	cookie := e.signIn(e.users[access.Alumnus])
	b.ResetTimer()
	for b.Loop() {
		if rec := e.do("GET", "/circles/"+c.ID, nil, cookie); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
