package match

import (
	"slices"
	"strings"
)

// Match proposes buddies for all waiting requests at once.
//
// Every proposal passes the hard constraints (see [Eligible]) and no offer
// gets more proposals than its capacity. Among all such assignments Match
// returns an optimal one: first it matches as many requests as possible, and
// among those assignments it maximises the total [Score]. (It solves a
// min-cost max-flow with cost -score on each request→offer edge: the flow is
// maximum first, and least cost among maximum flows means greatest score.)
//
// The result depends only on the content of the input, not its order:
// requests and offers are sorted by ID and ties are broken the same way every
// time. IDs should be unique; a repeated ID after the first occurrence in the
// input is ignored. Match never fails: malformed values simply make a pair
// ineligible or a fact unshared.
func Match(reqs []Request, offers []Offer, opt Options) Result {
	reqs = uniqueSorted(reqs, func(r Request) string { return r.ID })
	offers = uniqueSorted(offers, func(o Offer) string { return o.ID })
	minDays := opt.minDays()

	in := newInterner()
	rps := make([]profile, len(reqs))
	for i, r := range reqs {
		rps[i] = in.request(r)
	}
	// Only offers with room and enough time in recovery take part.
	var ops []profile
	var live []int // index into offers of each profile in ops
	offerIdx := make(map[string]int32, len(offers))
	for i, o := range offers {
		if o.Capacity <= 0 || o.DaysInRecovery < minDays {
			continue
		}
		offerIdx[o.ID] = int32(len(ops))
		ops = append(ops, in.offer(o))
		live = append(live, i)
	}
	excluded := exclusions(reqs, offers, live, offerIdx)

	// Edges: only pairs that pass every hard constraint.
	type edge struct {
		offer int32
		score int32
	}
	adj := make([][]edge, len(reqs))
	indeg := make([]int32, len(ops))
	for i := range rps {
		rp := &rps[i]
		for j := range ops {
			op := &ops[j]
			if !rp.accepts(op) || slices.Contains(excluded[i], int32(j)) {
				continue
			}
			adj[i] = append(adj[i], edge{int32(j), int32(rp.score(op))})
			indeg[j]++
		}
	}

	// Nodes: source 0, requests 1..R, offers R+1..R+O, sink R+O+1.
	nr, no := int32(len(reqs)), int32(len(ops))
	src, sink := int32(0), nr+no+1
	n := int(sink) + 1
	g := &flowGraph{start: make([]int32, n+1)}
	deg := make([]int32, n)
	deg[src] = nr
	deg[sink] = no
	for i := range adj {
		deg[1+i] = 1 + int32(len(adj[i]))
	}
	for j := range ops {
		deg[1+nr+int32(j)] = indeg[j] + 1
	}
	for v := range n {
		g.start[v+1] = g.start[v] + deg[v]
	}
	m := g.start[n]
	g.to, g.rev = make([]int32, m), make([]int32, m)
	g.cap, g.cost = make([]int32, m), make([]int32, m)
	fill := slices.Clone(g.start[:n])
	addEdge := func(u, v, c, cost int32) {
		a, b := fill[u], fill[v]
		fill[u]++
		fill[v]++
		g.to[a], g.rev[a], g.cap[a], g.cost[a] = v, b, c, cost
		g.to[b], g.rev[b], g.cap[b], g.cost[b] = u, a, 0, -cost
	}
	// A feasible starting potential: the graph is acyclic and only the
	// request→offer edges cost anything, so an offer's potential is its
	// cheapest incoming edge and the sink's the least of those.
	pot := make([]int64, n)
	for i := range adj {
		addEdge(src, 1+int32(i), 1, 0)
		for _, e := range adj[i] {
			v := 1 + nr + e.offer
			addEdge(1+int32(i), v, 1, -e.score)
			pot[v] = min(pot[v], int64(-e.score))
		}
	}
	for j := range ops {
		v := 1 + nr + int32(j)
		addEdge(v, sink, int32(ops[j].capacity), 0)
		pot[sink] = min(pot[sink], pot[v])
	}
	g.minCostMaxFlow(src, sink, pot)

	var res Result
	for i, r := range reqs {
		u := 1 + int32(i)
		matched := false
		for e := g.start[u]; e < g.start[u+1]; e++ {
			v := g.to[e]
			if v == src || g.cap[e] != 0 {
				continue
			}
			j := v - 1 - nr
			score := int(-g.cost[e])
			res.Proposals = append(res.Proposals, Proposal{
				RequestID: r.ID,
				OfferID:   offers[live[j]].ID,
				Score:     score,
				Reasons:   explain(r, &rps[i], &ops[j]),
			})
			res.TotalScore += score
			matched = true
			break
		}
		if !matched {
			res.Unmatched = append(res.Unmatched, r.ID)
		}
	}
	return res
}

// uniqueSorted returns the items ordered by ID, keeping only the first
// occurrence of each ID in the input.
func uniqueSorted[T any](items []T, id func(T) string) []T {
	seen := make(map[string]bool, len(items))
	out := make([]T, 0, len(items))
	for _, it := range items {
		if k := id(it); !seen[k] {
			seen[k] = true
			out = append(out, it)
		}
	}
	slices.SortStableFunc(out, func(a, b T) int { return strings.Compare(id(a), id(b)) })
	return out
}

// exclusions lists, for each request, the live offers (by index into the
// offer profiles) it must never be paired with, from either side's list.
func exclusions(reqs []Request, offers []Offer, live []int, offerIdx map[string]int32) [][]int32 {
	out := make([][]int32, len(reqs))
	reqIdx := make(map[string]int, len(reqs))
	for i, r := range reqs {
		reqIdx[r.ID] = i
		for _, id := range r.ExcludedOfferIDs {
			if j, ok := offerIdx[id]; ok {
				out[i] = append(out[i], j)
			}
		}
	}
	for j, oi := range live {
		for _, id := range offers[oi].ExcludedRequestIDs {
			if i, ok := reqIdx[id]; ok {
				out[i] = append(out[i], int32(j))
			}
		}
	}
	return out
}
