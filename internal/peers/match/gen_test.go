package match

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Attribute pools for random instances, with realistic values.
var (
	genders    = []string{"woman", "man", "nonbinary"}
	languages  = []string{"English", "Spanish", "Vietnamese", "Tagalog"}
	pathways   = []string{"SMART Recovery", "12-step", "Refuge Recovery", "medication-assisted", "faith-based"}
	interests  = []string{"hiking", "cooking", "art", "fitness", "faith", "parenting", "music", "gardening", "reading", "fishing", "yoga", "gaming"}
	cities     = []string{"Austin", "Dallas", "Houston", "San Antonio", "El Paso", "Waco"}
	times      = []string{"mornings", "afternoons", "evenings", "weekends"}
	lifeStages = []string{"", "parent", "student", "retired", "working"}
	meetings   = []Meeting{MeetingAny, MeetingInPerson, MeetingOnline}
)

// gen makes random instances; sizes and capacities are set by the caller.
type gen struct {
	rng *rand.Rand
	// maxCap is the largest offer capacity drawn (from 0 when zeroCap).
	maxCap  int
	zeroCap bool
}

func newGen(seed uint64, maxCap int) *gen {
	return &gen{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), maxCap: maxCap}
}

// pick returns up to k distinct entries of pool, sometimes respelled (case,
// spaces) to exercise normalisation.
func (g *gen) pick(pool []string, k int) []string {
	n := g.rng.IntN(k + 1)
	out := make([]string, 0, n)
	for _, i := range g.rng.Perm(len(pool))[:min(n, len(pool))] {
		out = append(out, g.respell(pool[i]))
	}
	return out
}

func (g *gen) respell(s string) string {
	switch g.rng.IntN(8) {
	case 0:
		return strings.ToUpper(s)
	case 1:
		return " " + s + " "
	}
	return s
}

func (g *gen) one(pool []string) string { return g.respell(pool[g.rng.IntN(len(pool))]) }

func (g *gen) instance(nReq, nOff int) ([]Request, []Offer) {
	offers := make([]Offer, nOff)
	for j := range offers {
		lo := 1
		if g.zeroCap {
			lo = 0
		}
		offers[j] = Offer{
			ID:             fmt.Sprintf("o%04d", j),
			Capacity:       lo + g.rng.IntN(g.maxCap-lo+1),
			DaysInRecovery: g.rng.IntN(3000),
			Gender:         g.one(genders),
			Languages:      append([]string{"English"}, g.pick(languages, 1)...),
			Pathways:       g.pick(pathways, 2),
			Interests:      g.pick(interests, 4),
			City:           g.one(cities),
			ContactTimes:   g.pick(times, 2),
			LifeStage:      g.one(lifeStages),
			Meeting:        meetings[g.rng.IntN(len(meetings))],
		}
	}
	reqs := make([]Request, nReq)
	for i := range reqs {
		r := Request{
			ID:           fmt.Sprintf("r%04d", i),
			Gender:       g.one(genders),
			Languages:    g.pick(languages, 2),
			WantLanguage: g.rng.IntN(4) == 0,
			Pathways:     g.pick(pathways, 2),
			Interests:    g.pick(interests, 4),
			City:         g.one(cities),
			ContactTimes: g.pick(times, 2),
			LifeStage:    g.one(lifeStages),
			Meeting:      meetings[g.rng.IntN(len(meetings))],
		}
		if g.rng.IntN(5) < 2 {
			r.WantGender = g.one(genders)
		}
		// A few blocked or past pairs, from either side.
		for j := range offers {
			switch g.rng.IntN(40) {
			case 0:
				r.ExcludedOfferIDs = append(r.ExcludedOfferIDs, offers[j].ID)
			case 1:
				offers[j].ExcludedRequestIDs = append(offers[j].ExcludedRequestIDs, r.ID)
			}
		}
		reqs[i] = r
	}
	return reqs, offers
}
