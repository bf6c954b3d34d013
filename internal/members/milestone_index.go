package members

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// windowMilestones returns, by member, the milestones from from to to of
// the current recovery periods in programID. The database returns only
// the periods that may have one (see startFilter), reading only the
// covering indexes recovery_periods_program_current and
// recovery_periods_anniversary; Between decides exactly.
func windowMilestones(ctx context.Context, q db.Querier, s Schedule, programID string, from, to Date) (map[string][]Milestone, error) {
	// One index range per condition of startFilter where that is faster
	// (see db.AnyOf); a period found twice is counted once.
	conds, cargs := s.startFilter("start_date", from, to)
	query, args := db.AnyOf(q, `SELECT user_id, start_date FROM recovery_periods WHERE program_id = ? AND end_date IS NULL`,
		[]any{programID}, conds, cargs)
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("members: upcoming milestones: %w", err)
	}
	defer rows.Close()
	out := map[string][]Milestone{}
	for rows.Next() {
		var id, start string
		if err := rows.Scan(&id, &start); err != nil {
			return nil, fmt.Errorf("members: upcoming milestones: %w", err)
		}
		sd, err := ParseDate(start)
		if err != nil {
			continue
		}
		if _, seen := out[id]; seen {
			continue
		}
		if ms := s.Between(sd, from, to); len(ms) > 0 {
			out[id] = ms
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("members: upcoming milestones: %w", err)
	}
	return out, nil
}

// milestoneVisibility returns the milestone visibility of the members of
// programID who share their milestones with the whole program (from the
// index profiles_milestone_vis), and of the viewer and the members the
// viewer coaches or is a buddy of, whatever it is. A member missing from
// the map shares with neither the program nor the viewer.
func milestoneVisibility(ctx context.Context, q db.Querier, programID, viewerID string, coached, buddies map[string]bool) (map[string]access.Visibility, error) {
	vis := map[string]access.Visibility{}
	rows, err := q.Query(ctx, `SELECT user_id FROM profiles WHERE program_id = ? AND vis_milestones = 'program'`, programID)
	if err != nil {
		return nil, fmt.Errorf("members: upcoming milestones: %w", err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("members: upcoming milestones: %w", err)
		}
		vis[id] = access.VisProgram
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("members: upcoming milestones: %w", err)
	}
	related := []string{viewerID}
	for id := range coached {
		related = append(related, id)
	}
	for id := range buddies {
		if !coached[id] {
			related = append(related, id)
		}
	}
	for _, id := range related {
		if _, ok := vis[id]; !ok {
			vis[id] = access.VisCoach // a member without a profile has the default
		}
	}
	err = inChunks(related, func(marks string, args []any) error {
		rows, err := q.Query(ctx, `SELECT user_id, vis_milestones FROM profiles WHERE program_id = ? AND user_id IN (`+marks+`)`,
			append([]any{programID}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, v string
			if err := rows.Scan(&id, &v); err != nil {
				return err
			}
			vis[id] = visOrDefault(v)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("members: upcoming milestones: %w", err)
	}
	return vis, nil
}

// alumniNames returns the short names of those of ids who are active
// alumni of programID.
func alumniNames(ctx context.Context, q db.Querier, programID string, ids []string) (map[string]string, error) {
	names := make(map[string]string, len(ids))
	err := inChunks(ids, func(marks string, args []any) error {
		rows, err := q.Query(ctx, `SELECT id, first_name, last_name FROM users
			WHERE program_id = ? AND role = 'alumnus' AND disabled_at IS NULL AND id IN (`+marks+`)`,
			append([]any{programID}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, first, last string
			if err := rows.Scan(&id, &first, &last); err != nil {
				return err
			}
			names[id] = shortName(first, last)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("members: upcoming milestones: %w", err)
	}
	return names, nil
}

// inChunk is how many ids one IN list holds.
const inChunk = 500

// inChunks calls fn for each run of at most inChunk ids, with the
// placeholders and arguments of its IN list.
func inChunks(ids []string, fn func(marks string, args []any) error) error {
	for len(ids) > 0 {
		n := min(len(ids), inChunk)
		part := ids[:n]
		ids = ids[n:]
		args := make([]any, n)
		for i, id := range part {
			args[i] = id
		}
		if err := fn(db.Placeholders(n), args); err != nil {
			return err
		}
	}
	return nil
}
