package match

import "math"

// flowGraph is a residual graph in compressed adjacency form: the edges
// leaving node v are start[v] to start[v+1]-1, and edge e's reverse is
// rev[e]. Costs are per unit of flow.
type flowGraph struct {
	start []int32
	to    []int32
	rev   []int32
	cap   []int32
	cost  []int32
}

const inf = math.MaxInt64 / 4

// minCostMaxFlow sends as much flow as possible from s to t and, among the
// maximum flows, finds one of least total cost. Costs may be negative as long
// as the graph has no negative cycle; pot must be a feasible potential
// (cost(u,v) + pot[u] - pot[v] >= 0 on every edge with capacity).
//
// It is the primal-dual form of successive shortest paths: Dijkstra on
// reduced costs finds the shortest-path distance, potentials are raised by
// it, and then every shortest augmenting path at that distance is saturated
// at once with a blocking flow (Dinic) on the zero-reduced-cost edges. Each
// augmentation is along a shortest path, so the flow stays of least cost for
// its value; the phases end when t is unreachable, so the flow is maximum.
// Everything runs in a fixed order, so the result is deterministic.
func (g *flowGraph) minCostMaxFlow(s, t int32, pot []int64) {
	n := len(g.start) - 1
	dist := make([]int64, n)
	level := make([]int32, n)
	iter := make([]int32, n)
	queue := make([]int32, 0, n)
	h := &heap{}
	for {
		if !g.dijkstra(s, t, pot, dist, h) {
			return
		}
		dt := dist[t]
		for v := range pot {
			pot[v] += min(dist[v], dt)
		}
		for g.levels(s, t, pot, level, queue) {
			for v := range iter {
				iter[v] = g.start[v]
			}
			for g.augment(s, t, pot, level, iter) {
			}
		}
	}
}

// reduced is the reduced cost of edge e leaving u.
func (g *flowGraph) reduced(e int32, u int32, pot []int64) int64 {
	return int64(g.cost[e]) + pot[u] - pot[g.to[e]]
}

// dijkstra computes shortest reduced-cost distances from s, stopping once t
// is settled (nodes not settled by then keep a distance of at least dist[t]).
// It reports whether t is reachable.
func (g *flowGraph) dijkstra(s, t int32, pot, dist []int64, h *heap) bool {
	for v := range dist {
		dist[v] = inf
	}
	dist[s] = 0
	h.items = h.items[:0]
	h.push(0, s)
	for len(h.items) > 0 {
		d, u := h.pop()
		if d > dist[u] {
			continue
		}
		if u == t {
			return true
		}
		for e := g.start[u]; e < g.start[u+1]; e++ {
			if g.cap[e] == 0 {
				continue
			}
			v := g.to[e]
			if nd := d + g.reduced(e, u, pot); nd < dist[v] {
				dist[v] = nd
				h.push(nd, v)
			}
		}
	}
	return false
}

// levels builds breadth-first levels from s over admissible edges (capacity
// left and zero reduced cost), up to the level of t, and reports whether t is
// reached.
func (g *flowGraph) levels(s, t int32, pot []int64, level []int32, queue []int32) bool {
	for v := range level {
		level[v] = -1
	}
	level[s] = 0
	queue = append(queue[:0], s)
	for i := 0; i < len(queue); i++ {
		u := queue[i]
		if level[t] >= 0 && level[u] >= level[t] {
			break // deeper nodes cannot lie on a shortest path to t
		}
		for e := g.start[u]; e < g.start[u+1]; e++ {
			v := g.to[e]
			if g.cap[e] == 0 || level[v] >= 0 || g.reduced(e, u, pot) != 0 {
				continue
			}
			level[v] = level[u] + 1
			queue = append(queue, v)
		}
	}
	return level[t] >= 0
}

// augment finds one path from s to t along the level graph (iteratively, as
// paths can be long) and pushes one unit of flow along it, which is the
// bottleneck here since every edge out of s has capacity one. It reports
// whether a path was found; iter remembers dead ends between calls.
func (g *flowGraph) augment(s, t int32, pot []int64, level, iter []int32) bool {
	var path []int32 // edges taken so far
	u := s
	for u != t {
		advanced := false
		for ; iter[u] < g.start[u+1]; iter[u]++ {
			e := iter[u]
			v := g.to[e]
			if g.cap[e] > 0 && level[v] == level[u]+1 && g.reduced(e, u, pot) == 0 {
				path = append(path, e)
				u = v
				advanced = true
				break
			}
		}
		if advanced {
			continue
		}
		if u == s {
			return false
		}
		// Dead end: retreat and skip the edge that led here.
		level[u] = -1
		e := path[len(path)-1]
		path = path[:len(path)-1]
		u = g.to[g.rev[e]]
		iter[u]++
	}
	for _, e := range path {
		g.cap[e]--
		g.cap[g.rev[e]]++
	}
	return true
}

// heap is a binary min-heap of (distance, node), ties broken by node.
type heap struct{ items []heapItem }

type heapItem struct {
	d int64
	v int32
}

func (h *heap) less(i, j int) bool {
	a, b := h.items[i], h.items[j]
	return a.d < b.d || (a.d == b.d && a.v < b.v)
}

func (h *heap) push(d int64, v int32) {
	h.items = append(h.items, heapItem{d, v})
	i := len(h.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *heap) pop() (int64, int32) {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < last && h.less(l, m) {
			m = l
		}
		if r < last && h.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
	return top.d, top.v
}
