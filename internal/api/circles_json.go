package api

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/cairn-recovery/cairn/internal/peers/circles"
)

// A circle's list of posts is what members' apps read most; writing it
// through encoding/json's reflection was a quarter of the request's time.
// appendPostsJSON writes the same bytes as writeJSON would, by hand
// (circles_json_test.go checks them against json.Marshal).

// appendPostsJSON appends page as json.Marshal would, and a line break.
func appendPostsJSON(b []byte, page pageJSON[circlePostJSON]) ([]byte, error) {
	b = append(b, `{"items":`...)
	if page.Items == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range page.Items {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = page.Items[i].appendJSON(b); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	b = append(b, `,"next_cursor":`...)
	if page.NextCursor == nil {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, *page.NextCursor)
	}
	return append(b, "}\n"...), nil
}

// appendJSON appends p as json.Marshal would.
func (p *circlePostJSON) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, p.ID)
	b = append(b, `,"circle_id":`...)
	b = appendJSONString(b, p.CircleID)
	b = append(b, `,"author_id":`...)
	b = appendJSONString(b, p.AuthorID)
	b = append(b, `,"author":`...)
	b = appendJSONString(b, p.Author)
	b = append(b, `,"body":`...)
	b = appendJSONString(b, p.Body)
	b = append(b, `,"pinned":`...)
	b = strconv.AppendBool(b, p.Pinned)
	b = append(b, `,"hidden":`...)
	b = strconv.AppendBool(b, p.Hidden)
	b = append(b, `,"created_at":`...)
	b, err := appendJSONTime(b, p.CreatedAt)
	if err != nil {
		return nil, err
	}
	b = append(b, `,"edited_at":`...)
	if p.EditedAt == nil {
		b = append(b, "null"...)
	} else if b, err = appendJSONTime(b, *p.EditedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"comments":`...)
	b = strconv.AppendInt(b, int64(p.Comments), 10)
	b = append(b, `,"reactions":`...)
	if p.Reactions == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '{')
		keys := reactionKeys
		if !hasExactly(p.Reactions, keys) {
			keys = slices.Sorted(maps.Keys(p.Reactions))
		}
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(p.Reactions[k]), 10)
		}
		b = append(b, '}')
	}
	b = append(b, `,"my_reactions":`...)
	if p.Mine == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, k := range p.Mine {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// reactionKeys are the kinds of circles.Reactions in the order
// encoding/json writes a map's keys (sorted).
var reactionKeys = func() []string {
	var keys []string
	for _, r := range circles.Reactions {
		keys = append(keys, r.Kind)
	}
	slices.Sort(keys)
	return keys
}()

// hasExactly reports whether m's keys are keys.
func hasExactly(m map[string]int, keys []string) bool {
	if len(m) != len(keys) {
		return false
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}

// appendJSONTime appends t as json.Marshal would (RFC 3339 with the
// fraction of a second it has, quoted).
func appendJSONTime(b []byte, t time.Time) ([]byte, error) {
	if y := t.Year(); y < 0 || y > 9999 {
		j, err := t.MarshalJSON() // the error json.Marshal would give
		return append(b, j...), err
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}

// appendJSONString appends s quoted as json.Marshal would: plain ASCII
// as it is, anything else through json.Marshal itself.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
