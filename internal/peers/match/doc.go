// Package match proposes buddy (peer mentor) pairings for the buddy program.
//
// It is pure: requests and offers come in, an assignment comes out; it reads
// no database and imports no other Cairn package. The store layer turns blocks,
// existing pairings and past ended pairings into exclusions before calling
// [Match], and records the proposals it returns for a coordinator to review.
//
// The assignment is optimal, not greedy: [Match] solves a min-cost max-flow
// problem on the bipartite graph of requests and offers, where only pairs that
// pass every hard constraint get an edge and each offer's edge to the sink has
// its remaining capacity.
package match
