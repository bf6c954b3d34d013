// Package buddies runs the buddy (peer mentor) program of a program.
//
// An alumnus who has been in recovery long enough (a program setting, one
// year unless a coordinator changes it) offers to be a buddy for one to
// three people; an alumnus who would like a buddy asks for one, with their
// preferences. A coordinator runs the matcher (internal/peers/match) over
// every waiting request and available offer: the proposals it returns are
// stored as drafts with their score and reasons, the coordinator drops the
// ones that do not feel right and sends the rest. Both people then accept
// or decline. Declining is private: the other person only learns that the
// match did not go ahead. When both accept, a pairing starts: the pair is
// written (both directions) to the buddies table, which opens 'buddy'
// visibility of profile fields, and a direct conversation is started.
// Either person may end a pairing at any time; it stays in the history.
//
// Every write is audited, and so is every coordinator read of requests,
// offers and proposals, since they hold personal preferences.
package buddies
