-- Coach roles: a member has one primary coach and at most one secondary
-- coach. Each assignment, and each history row, says which role it is.
-- A member who already had several coaches keeps them all: the first (by
-- coach id, as the coach form showed it) stays primary, the others become
-- secondary until a coordinator next sets the member's coaches.

-- +goose Up
ALTER TABLE coach_assignments ADD COLUMN role TEXT NOT NULL DEFAULT 'primary' CHECK (role IN ('primary', 'secondary'));
ALTER TABLE coach_assignment_history ADD COLUMN role TEXT NOT NULL DEFAULT 'primary' CHECK (role IN ('primary', 'secondary'));
UPDATE coach_assignments SET role = 'secondary' WHERE EXISTS (
    SELECT 1 FROM coach_assignments o
    WHERE o.member_id = coach_assignments.member_id AND o.coach_id < coach_assignments.coach_id);
CREATE INDEX coach_assignments_coach_role ON coach_assignments (coach_id, role, member_id);
CREATE INDEX coach_assignment_history_open ON coach_assignment_history (member_id, role, ended_at);

-- +goose Down
DROP INDEX coach_assignment_history_open;
DROP INDEX coach_assignments_coach_role;
ALTER TABLE coach_assignment_history DROP COLUMN role;
ALTER TABLE coach_assignments DROP COLUMN role;
