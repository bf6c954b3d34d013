package match

import (
	"slices"
	"strings"
)

// Score weights: what each shared fact adds to a pair's score.
const (
	// WeightInterest is added for each shared interest or hobby.
	WeightInterest = 3
	// WeightPathway is added for each shared recovery pathway.
	WeightPathway = 4
	// WeightCity is added when both live in the same city.
	WeightCity = 3
	// WeightContactTime is added for each shared contact time.
	WeightContactTime = 2
	// WeightLifeStage is added when both gave the same life stage.
	WeightLifeStage = 2
	// WeightMeeting is added when both prefer the same way of meeting
	// (both in person or both online).
	WeightMeeting = 1
)

// Score returns the compatibility of a request with an offer and the plain
// reasons behind it, one shared fact each: shared interests ("both enjoy
// hiking"), shared pathways ("both follow SMART Recovery"), the same city
// ("both in Austin"), shared contact times ("both prefer evenings"), the same
// life stage ("same life stage: parent") and the same way of meeting ("both prefer
// meeting online"). Score does not check hard constraints; see [Eligible].
func Score(r Request, o Offer) (int, []string) {
	in := newInterner()
	rp, op := in.request(r), in.offer(o)
	return rp.score(&op), explain(r, &rp, &op)
}

// Eligible reports whether a request may be paired with an offer at all: the
// offer has capacity, the buddy has been in recovery long enough, the gender
// and language preferences hold when set, and neither side excludes the other.
func Eligible(r Request, o Offer, opt Options) bool {
	if o.Capacity <= 0 || o.DaysInRecovery < opt.minDays() {
		return false
	}
	if slices.Contains(r.ExcludedOfferIDs, o.ID) || slices.Contains(o.ExcludedRequestIDs, r.ID) {
		return false
	}
	in := newInterner()
	rp, op := in.request(r), in.offer(o)
	return rp.accepts(&op)
}

func (opt Options) minDays() int {
	switch {
	case opt.MinDaysInRecovery == 0:
		return DefaultMinDaysInRecovery
	case opt.MinDaysInRecovery < 0:
		return 0
	}
	return opt.MinDaysInRecovery
}

// norm is the comparison key of a text attribute.
func norm(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// interner gives each distinct normalised text a small number, so that
// attribute sets compare as sorted integer slices. Number 0 means "empty".
type interner struct {
	ids  map[string]int32
	text []string // display text (trimmed, first spelling seen) by number
}

func newInterner() *interner {
	return &interner{ids: map[string]int32{"": 0}, text: []string{""}}
}

func (in *interner) id(s string) int32 {
	k := norm(s)
	if id, ok := in.ids[k]; ok {
		return id
	}
	id := int32(len(in.text))
	in.ids[k] = id
	in.text = append(in.text, strings.TrimSpace(s))
	return id
}

// set interns a list into a sorted set without duplicates or empty entries.
func (in *interner) set(list []string) []int32 {
	if len(list) == 0 {
		return nil
	}
	out := make([]int32, 0, len(list))
	for _, s := range list {
		if id := in.id(s); id != 0 {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// profile is one side of a pair with its attributes interned.
type profile struct {
	in        *interner
	gender    int32 // own gender (offers) or wanted gender (requests)
	wantLang  bool
	languages []int32
	pathways  []int32
	interests []int32
	city      int32
	times     []int32
	lifeStage int32
	meeting   Meeting
	capacity  int
}

func (in *interner) request(r Request) profile {
	return profile{
		in:        in,
		gender:    in.id(r.WantGender),
		wantLang:  r.WantLanguage,
		languages: in.set(r.Languages),
		pathways:  in.set(r.Pathways),
		interests: in.set(r.Interests),
		city:      in.id(r.City),
		times:     in.set(r.ContactTimes),
		lifeStage: in.id(r.LifeStage),
		meeting:   r.Meeting,
	}
}

func (in *interner) offer(o Offer) profile {
	return profile{
		in:        in,
		gender:    in.id(o.Gender),
		languages: in.set(o.Languages),
		pathways:  in.set(o.Pathways),
		interests: in.set(o.Interests),
		city:      in.id(o.City),
		times:     in.set(o.ContactTimes),
		lifeStage: in.id(o.LifeStage),
		meeting:   o.Meeting,
		capacity:  min(o.Capacity, MaxCapacity),
	}
}

// accepts checks the request-side preferences (gender, language) against an
// offer; r is the request profile.
func (r *profile) accepts(o *profile) bool {
	if r.gender != 0 && r.gender != o.gender {
		return false
	}
	if r.wantLang && countShared(r.languages, o.languages) == 0 {
		return false
	}
	return true
}

// score is the weighted count of shared facts; explain lists the same facts.
func (r *profile) score(o *profile) int {
	s := WeightInterest*countShared(r.interests, o.interests) +
		WeightPathway*countShared(r.pathways, o.pathways) +
		WeightContactTime*countShared(r.times, o.times)
	if r.city != 0 && r.city == o.city {
		s += WeightCity
	}
	if r.lifeStage != 0 && r.lifeStage == o.lifeStage {
		s += WeightLifeStage
	}
	if sameMeeting(r.meeting, o.meeting) {
		s += WeightMeeting
	}
	return s
}

func sameMeeting(a, b Meeting) bool {
	return (a == MeetingInPerson || a == MeetingOnline) && a == b
}

// explain lists the shared facts of a pair in plain words, grouped by kind
// (interests, pathways, city, contact times, life stage, meeting) and sorted
// within a kind, so the same pair always reads the same. Facts are written as
// the requester spelled them (req is the request behind profile r).
func explain(req Request, r, o *profile) []string {
	own := make(map[int32]string)
	for _, list := range [][]string{req.Interests, req.Pathways, req.ContactTimes, {req.City, req.LifeStage}} {
		for _, s := range list {
			if id := r.in.ids[norm(s)]; id != 0 && own[id] == "" {
				own[id] = strings.TrimSpace(s)
			}
		}
	}
	text := func(id int32) string {
		if s, ok := own[id]; ok {
			return s
		}
		return r.in.text[id]
	}
	var out []string
	words := func(prefix string, a, b []int32) {
		for _, t := range sharedText(text, a, b) {
			out = append(out, prefix+t)
		}
	}
	words("both enjoy ", r.interests, o.interests)
	words("both follow ", r.pathways, o.pathways)
	if r.city != 0 && r.city == o.city {
		out = append(out, "both in "+text(r.city))
	}
	words("both prefer ", r.times, o.times)
	if r.lifeStage != 0 && r.lifeStage == o.lifeStage {
		out = append(out, "same life stage: "+text(r.lifeStage))
	}
	if sameMeeting(r.meeting, o.meeting) {
		if r.meeting == MeetingInPerson {
			out = append(out, "both prefer meeting in person")
		} else {
			out = append(out, "both prefer meeting online")
		}
	}
	return out
}

// countShared counts the common elements of two sorted sets.
func countShared(a, b []int32) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// sharedText returns the display text of the common elements of two sorted
// sets, ordered by comparison key.
func sharedText(text func(int32) string, a, b []int32) []string {
	var out []string
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, text(a[i]))
			i++
			j++
		}
	}
	slices.SortFunc(out, func(x, y string) int { return strings.Compare(norm(x), norm(y)) })
	return out
}
