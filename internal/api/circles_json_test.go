package api

import (
	"encoding/json"
	"testing"
	"time"
)

// TestCirclePostsJSONMatchesMarshal checks that the hand-written encoding
// of a page of posts is byte for byte what json.Marshal makes of it.
func TestCirclePostsJSONMatchesMarshal(t *testing.T) {
	edited := time.Date(2026, 3, 4, 5, 6, 7, 891000, time.UTC)
	next := "MXwxNzA5|abc"
	pages := []pageJSON[circlePostJSON]{
		{Items: []circlePostJSON{}},
		{},
		{Items: []circlePostJSON{
			{ID: "p1", CircleID: "c1", AuthorID: "u1", Author: "Alex R.", Body: "Plain words", Pinned: true,
				CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Comments: 3,
				Reactions: map[string]int{"heart": 1, "thanks": 2, "strength": 0, "celebrate": 4}, Mine: []string{"heart", "celebrate"}},
			{ID: "p2", CircleID: "c1", AuthorID: "u2", Author: "Zoë <b>&</b>", Body: "Line one\nline \"two\" \\ \t\u2028\u2029 \x01 \xff end 🎉",
				Hidden: true, CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC), EditedAt: &edited,
				Reactions: map[string]int{}, Mine: []string{}},
			{ID: "p3", Body: "", Reactions: nil, Mine: nil},
			{ID: "p4", Reactions: map[string]int{"zeal": 1, "heart": 2}, CreatedAt: time.Date(2026, 6, 1, 0, 0, 0, 1, time.FixedZone("x", 3600))},
		}, NextCursor: &next},
	}
	for i, page := range pages {
		want, err := json.Marshal(page)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendPostsJSON(nil, page)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want)+"\n" {
			t.Errorf("page %d:\n got %s\nwant %s", i, got, want)
		}
	}
}
