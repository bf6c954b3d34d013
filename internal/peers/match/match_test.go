package match

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestMatchExplainsSharedFacts(t *testing.T) {
	reqs := []Request{{
		ID: "r1", Languages: []string{"English"}, Pathways: []string{"SMART Recovery"},
		Interests: []string{"hiking", "cooking"}, City: "Austin", ContactTimes: []string{"evenings"},
		LifeStage: "parent", Meeting: MeetingOnline,
	}}
	offers := []Offer{{
		ID: "o1", Capacity: 1, DaysInRecovery: 800, Languages: []string{"english"},
		Pathways: []string{"smart recovery", "12-step"}, Interests: []string{"Hiking", "art"},
		City: " austin ", ContactTimes: []string{"Evenings", "mornings"}, LifeStage: "Parent", Meeting: MeetingOnline,
	}}
	res := Match(reqs, offers, Options{})
	want := []Proposal{{
		RequestID: "r1", OfferID: "o1",
		Score: WeightInterest + WeightPathway + WeightCity + WeightContactTime + WeightLifeStage + WeightMeeting,
		Reasons: []string{
			"both enjoy hiking", "both follow SMART Recovery", "both in Austin",
			"both prefer evenings", "same life stage: parent", "both prefer meeting online",
		},
	}}
	if !reflect.DeepEqual(res.Proposals, want) || len(res.Unmatched) != 0 {
		t.Fatalf("got %+v, want %+v", res, want)
	}
	if res.TotalScore != want[0].Score {
		t.Errorf("total %d, want %d", res.TotalScore, want[0].Score)
	}
}

func TestMatchIsOptimalNotGreedy(t *testing.T) {
	// Greedy would give r1 its best offer o1 and leave r2 without a buddy;
	// the optimum gives r1 its second best and r2 the only offer it can take.
	reqs := []Request{
		{ID: "r1", Interests: []string{"hiking", "art", "music"}, City: "Austin"},
		{ID: "r2", Interests: []string{"hiking"}, ExcludedOfferIDs: []string{"o2"}},
	}
	offers := []Offer{
		{ID: "o1", Capacity: 1, DaysInRecovery: 400, Interests: []string{"hiking", "art", "music"}, City: "Austin"},
		{ID: "o2", Capacity: 1, DaysInRecovery: 400, Interests: []string{"hiking", "art", "music"}},
	}
	res := Match(reqs, offers, Options{})
	got := map[string]string{}
	for _, p := range res.Proposals {
		got[p.RequestID] = p.OfferID
	}
	if got["r1"] != "o2" || got["r2"] != "o1" || len(res.Unmatched) != 0 {
		t.Fatalf("got %+v", res)
	}
}

func TestMatchPrefersMoreMatchesOverScore(t *testing.T) {
	// r1 with o1 alone scores more than r1–o2 plus r2–o1, but two pairs
	// beat one.
	reqs := []Request{
		{ID: "r1", Interests: []string{"a", "b", "c", "d", "e"}},
		{ID: "r2", WantGender: "woman"},
	}
	offers := []Offer{
		{ID: "o1", Capacity: 1, DaysInRecovery: 400, Gender: "woman", Interests: []string{"a", "b", "c", "d", "e"}},
		{ID: "o2", Capacity: 1, DaysInRecovery: 400, Gender: "man"},
	}
	res := Match(reqs, offers, Options{})
	if len(res.Proposals) != 2 || res.TotalScore != 0 {
		t.Fatalf("want both matched with total 0, got %+v", res)
	}
}

func TestMatchHardConstraints(t *testing.T) {
	base := Offer{ID: "o1", Capacity: 1, DaysInRecovery: 365, Gender: "man", Languages: []string{"Spanish"}}
	tests := []struct {
		name  string
		req   Request
		offer func(o *Offer)
		opt   Options
		want  bool
	}{
		{"plain", Request{ID: "r"}, nil, Options{}, true},
		{"too new", Request{ID: "r"}, func(o *Offer) { o.DaysInRecovery = 364 }, Options{}, false},
		{"custom minimum", Request{ID: "r"}, func(o *Offer) { o.DaysInRecovery = 100 }, Options{MinDaysInRecovery: 90}, true},
		{"no minimum", Request{ID: "r"}, func(o *Offer) { o.DaysInRecovery = 0 }, Options{MinDaysInRecovery: -1}, true},
		{"zero capacity", Request{ID: "r"}, func(o *Offer) { o.Capacity = 0 }, Options{}, false},
		{"gender wanted", Request{ID: "r", WantGender: "Man"}, nil, Options{}, true},
		{"gender mismatch", Request{ID: "r", WantGender: "woman"}, nil, Options{}, false},
		{"language shared", Request{ID: "r", WantLanguage: true, Languages: []string{"English", "spanish"}}, nil, Options{}, true},
		{"language not shared", Request{ID: "r", WantLanguage: true, Languages: []string{"English"}}, nil, Options{}, false},
		{"language wanted but none given", Request{ID: "r", WantLanguage: true}, nil, Options{}, false},
		{"language not required", Request{ID: "r", Languages: []string{"English"}}, nil, Options{}, true},
		{"excluded by request", Request{ID: "r", ExcludedOfferIDs: []string{"o1"}}, nil, Options{}, false},
		{"excluded by offer", Request{ID: "r"}, func(o *Offer) { o.ExcludedRequestIDs = []string{"r"} }, Options{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := base
			if tt.offer != nil {
				tt.offer(&o)
			}
			if got := Eligible(tt.req, o, tt.opt); got != tt.want {
				t.Errorf("Eligible = %v, want %v", got, tt.want)
			}
			res := Match([]Request{tt.req}, []Offer{o}, tt.opt)
			if got := len(res.Proposals) == 1; got != tt.want {
				t.Errorf("Match proposed = %v, want %v (%+v)", got, tt.want, res)
			}
		})
	}
}

func TestMatchEdgeCases(t *testing.T) {
	reqs := []Request{{ID: "b"}, {ID: "a"}}
	t.Run("nothing", func(t *testing.T) {
		res := Match(nil, nil, Options{})
		if len(res.Proposals) != 0 || len(res.Unmatched) != 0 || res.TotalScore != 0 {
			t.Fatalf("got %+v", res)
		}
	})
	t.Run("no offers", func(t *testing.T) {
		res := Match(reqs, nil, Options{})
		if len(res.Proposals) != 0 || !slices.Equal(res.Unmatched, []string{"a", "b"}) {
			t.Fatalf("got %+v", res)
		}
	})
	t.Run("no requests", func(t *testing.T) {
		res := Match(nil, []Offer{{ID: "o", Capacity: 2, DaysInRecovery: 999}}, Options{})
		if len(res.Proposals) != 0 || len(res.Unmatched) != 0 {
			t.Fatalf("got %+v", res)
		}
	})
	t.Run("zero and negative capacity", func(t *testing.T) {
		offers := []Offer{{ID: "o1", DaysInRecovery: 999}, {ID: "o2", Capacity: -2, DaysInRecovery: 999}}
		res := Match(reqs, offers, Options{})
		if len(res.Proposals) != 0 || len(res.Unmatched) != 2 {
			t.Fatalf("got %+v", res)
		}
	})
	t.Run("all blocked", func(t *testing.T) {
		blocked := []Request{
			{ID: "a", ExcludedOfferIDs: []string{"o1", "o2"}},
			{ID: "b", ExcludedOfferIDs: []string{"o2"}},
		}
		offers := []Offer{
			{ID: "o1", Capacity: 3, DaysInRecovery: 999, ExcludedRequestIDs: []string{"b"}},
			{ID: "o2", Capacity: 3, DaysInRecovery: 999},
		}
		res := Match(blocked, offers, Options{})
		if len(res.Proposals) != 0 || !slices.Equal(res.Unmatched, []string{"a", "b"}) {
			t.Fatalf("got %+v", res)
		}
	})
	t.Run("capacity is shared out and capped", func(t *testing.T) {
		var many []Request
		for _, id := range []string{"a", "b", "c", "d", "e"} {
			many = append(many, Request{ID: id})
		}
		res := Match(many, []Offer{{ID: "o", Capacity: 10, DaysInRecovery: 999}}, Options{})
		if len(res.Proposals) != MaxCapacity || len(res.Unmatched) != len(many)-MaxCapacity {
			t.Fatalf("got %+v", res)
		}
	})
	t.Run("duplicate IDs keep the first", func(t *testing.T) {
		dup := []Request{{ID: "a", WantGender: "woman"}, {ID: "a"}}
		res := Match(dup, []Offer{{ID: "o", Capacity: 1, DaysInRecovery: 999, Gender: "man"}}, Options{})
		if len(res.Proposals) != 0 || !slices.Equal(res.Unmatched, []string{"a"}) {
			t.Fatalf("got %+v", res)
		}
	})
	t.Run("nothing shared has no reasons", func(t *testing.T) {
		res := Match(reqs[:1], []Offer{{ID: "o", Capacity: 1, DaysInRecovery: 999, City: "Waco"}}, Options{})
		if len(res.Proposals) != 1 || res.Proposals[0].Score != 0 || len(res.Proposals[0].Reasons) != 0 {
			t.Fatalf("got %+v", res)
		}
	})
}

// checkFeasible fails the test if res breaks a hard constraint or is not a
// proper account of every request.
func checkFeasible(t *testing.T, reqs []Request, offers []Offer, opt Options, res Result) {
	t.Helper()
	rs := map[string]Request{}
	for _, r := range reqs {
		rs[r.ID] = r
	}
	os := map[string]Offer{}
	for _, o := range offers {
		os[o.ID] = o
	}
	seen := map[string]bool{}
	load := map[string]int{}
	total := 0
	for _, p := range res.Proposals {
		r, o := rs[p.RequestID], os[p.OfferID]
		if seen[p.RequestID] {
			t.Fatalf("request %s proposed twice", p.RequestID)
		}
		seen[p.RequestID] = true
		if !Eligible(r, o, opt) {
			t.Fatalf("ineligible pair %s–%s proposed", p.RequestID, p.OfferID)
		}
		if slices.Contains(r.ExcludedOfferIDs, o.ID) || slices.Contains(o.ExcludedRequestIDs, r.ID) {
			t.Fatalf("excluded pair %s–%s proposed", r.ID, o.ID)
		}
		if r.WantGender != "" && norm(r.WantGender) != norm(o.Gender) {
			t.Fatalf("gender preference broken for %s–%s", r.ID, o.ID)
		}
		if r.WantLanguage && !slices.ContainsFunc(r.Languages, func(l string) bool {
			return norm(l) != "" && slices.ContainsFunc(o.Languages, func(m string) bool { return norm(m) == norm(l) })
		}) {
			t.Fatalf("language preference broken for %s–%s", r.ID, o.ID)
		}
		if o.DaysInRecovery < opt.minDays() {
			t.Fatalf("offer %s too new", o.ID)
		}
		load[o.ID]++
		if load[o.ID] > min(o.Capacity, MaxCapacity) {
			t.Fatalf("offer %s over capacity", o.ID)
		}
		if s, _ := Score(r, o); s != p.Score {
			t.Fatalf("score %d for %s–%s, want %d", p.Score, r.ID, o.ID, s)
		}
		total += p.Score
	}
	for _, id := range res.Unmatched {
		if seen[id] {
			t.Fatalf("request %s both matched and unmatched", id)
		}
		seen[id] = true
	}
	if len(seen) != len(rs) {
		t.Fatalf("%d requests accounted for, want %d", len(seen), len(rs))
	}
	if total != res.TotalScore {
		t.Fatalf("total %d, proposals sum to %d", res.TotalScore, total)
	}
	if !slices.IsSortedFunc(res.Proposals, func(a, b Proposal) int { return strings.Compare(a.RequestID, b.RequestID) }) ||
		!slices.IsSorted(res.Unmatched) {
		t.Fatalf("result not in request order")
	}
}

func TestMatchNeverBreaksHardConstraints(t *testing.T) {
	g := newGen(1, 4)
	g.zeroCap = true
	for range 200 {
		reqs, offers := g.instance(1+g.rng.IntN(40), g.rng.IntN(15))
		opt := Options{MinDaysInRecovery: []int{0, 30, 1000, -1}[g.rng.IntN(4)]}
		checkFeasible(t, reqs, offers, opt, Match(reqs, offers, opt))
	}
}

// bruteForce returns the best (matched count, total score) over every
// assignment, enumerated exhaustively.
func bruteForce(reqs []Request, offers []Offer, opt Options) (int, int) {
	left := make([]int, len(offers))
	for j, o := range offers {
		left[j] = max(0, min(o.Capacity, MaxCapacity))
	}
	bestN, bestS := 0, 0
	var walk func(i, n, s int)
	walk = func(i, n, s int) {
		if i == len(reqs) {
			if n > bestN || (n == bestN && s > bestS) {
				bestN, bestS = n, s
			}
			return
		}
		walk(i+1, n, s)
		for j, o := range offers {
			if left[j] == 0 || !Eligible(reqs[i], o, opt) {
				continue
			}
			sc, _ := Score(reqs[i], o)
			left[j]--
			walk(i+1, n+1, s+sc)
			left[j]++
		}
	}
	walk(0, 0, 0)
	return bestN, bestS
}

func TestMatchIsOptimalAgainstBruteForce(t *testing.T) {
	g := newGen(2, 2)
	for k := range 500 {
		reqs, offers := g.instance(1+g.rng.IntN(6), 1+g.rng.IntN(4))
		opt := Options{MinDaysInRecovery: 200}
		res := Match(reqs, offers, opt)
		checkFeasible(t, reqs, offers, opt, res)
		n, s := bruteForce(reqs, offers, opt)
		if len(res.Proposals) != n || res.TotalScore != s {
			t.Fatalf("instance %d: matched %d with total %d, optimum is %d with %d", k, len(res.Proposals), res.TotalScore, n, s)
		}
	}
}

func TestMatchIsStable(t *testing.T) {
	g := newGen(3, 3)
	for range 20 {
		reqs, offers := g.instance(60, 20)
		first := Match(reqs, offers, Options{})
		if again := Match(reqs, offers, Options{}); !reflect.DeepEqual(first, again) {
			t.Fatal("second run differs")
		}
		rng := rand.New(rand.NewPCG(4, 5))
		r2, o2 := slices.Clone(reqs), slices.Clone(offers)
		rng.Shuffle(len(r2), func(i, j int) { r2[i], r2[j] = r2[j], r2[i] })
		rng.Shuffle(len(o2), func(i, j int) { o2[i], o2[j] = o2[j], o2[i] })
		if shuffled := Match(r2, o2, Options{}); !reflect.DeepEqual(first, shuffled) {
			t.Fatal("shuffled input gives a different result")
		}
	}
}

func TestReasonsAreTrueSharedFacts(t *testing.T) {
	g := newGen(6, 3)
	has := func(list []string, s string) bool {
		return slices.ContainsFunc(list, func(x string) bool { return norm(x) == norm(s) })
	}
	for range 50 {
		reqs, offers := g.instance(40, 15)
		rs, os := map[string]Request{}, map[string]Offer{}
		for _, r := range reqs {
			rs[r.ID] = r
		}
		for _, o := range offers {
			os[o.ID] = o
		}
		res := Match(reqs, offers, Options{MinDaysInRecovery: -1})
		for _, p := range res.Proposals {
			r, o := rs[p.RequestID], os[p.OfferID]
			sum := 0
			for _, why := range p.Reasons {
				var ok bool
				var w int
				switch {
				case why == "both prefer meeting in person":
					ok, w = r.Meeting == MeetingInPerson && o.Meeting == MeetingInPerson, WeightMeeting
				case why == "both prefer meeting online":
					ok, w = r.Meeting == MeetingOnline && o.Meeting == MeetingOnline, WeightMeeting
				case strings.HasPrefix(why, "both enjoy "):
					x := strings.TrimPrefix(why, "both enjoy ")
					ok, w = has(r.Interests, x) && has(o.Interests, x), WeightInterest
				case strings.HasPrefix(why, "both follow "):
					x := strings.TrimPrefix(why, "both follow ")
					ok, w = has(r.Pathways, x) && has(o.Pathways, x), WeightPathway
				case strings.HasPrefix(why, "both in "):
					x := strings.TrimPrefix(why, "both in ")
					ok, w = norm(r.City) == norm(x) && norm(o.City) == norm(x), WeightCity
				case strings.HasPrefix(why, "both prefer "):
					x := strings.TrimPrefix(why, "both prefer ")
					ok, w = has(r.ContactTimes, x) && has(o.ContactTimes, x), WeightContactTime
				case strings.HasPrefix(why, "same life stage: "):
					x := strings.TrimPrefix(why, "same life stage: ")
					ok, w = norm(x) != "" && norm(r.LifeStage) == norm(x) && norm(o.LifeStage) == norm(x), WeightLifeStage
				}
				if !ok {
					t.Fatalf("%s–%s: reason %q is not a shared fact", r.ID, o.ID, why)
				}
				if strings.TrimSpace(why) != why {
					t.Fatalf("reason %q has stray spaces", why)
				}
				sum += w
			}
			if len(slices.Compact(slices.Sorted(slices.Values(p.Reasons)))) != len(p.Reasons) {
				t.Fatalf("repeated reason in %q", p.Reasons)
			}
			// Every point of the score is explained by a reason.
			if sum != p.Score {
				t.Fatalf("%s–%s: reasons %q add up to %d, score is %d", r.ID, o.ID, p.Reasons, sum, p.Score)
			}
		}
	}
}

func TestReasonsUseTheRequestersWords(t *testing.T) {
	reqs := []Request{
		{ID: "r0", Interests: []string{"HIKING"}, City: "AUSTIN"},
		{ID: "r1", Interests: []string{" hiking"}, City: "Austin"},
	}
	offers := []Offer{
		{ID: "o0", Capacity: 1, DaysInRecovery: 999, Interests: []string{"Hiking"}, City: "austin"},
		{ID: "o1", Capacity: 1, DaysInRecovery: 999, Interests: []string{"Hiking"}, City: "austin"},
	}
	res := Match(reqs, offers, Options{})
	if len(res.Proposals) != 2 {
		t.Fatalf("got %+v", res)
	}
	if got, want := res.Proposals[1].Reasons, []string{"both enjoy hiking", "both in Austin"}; !slices.Equal(got, want) {
		t.Errorf("r1 reasons %q, want %q", got, want)
	}
	if got, want := res.Proposals[0].Reasons, []string{"both enjoy HIKING", "both in AUSTIN"}; !slices.Equal(got, want) {
		t.Errorf("r0 reasons %q, want %q", got, want)
	}
}
