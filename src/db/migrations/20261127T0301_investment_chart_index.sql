-- The dashboard's investment chart (issue 6 performance, src/usecases/dashboard.ts): the approved
-- figure sums the total investment of the projects in construction by the year construction
-- starts. This partial index holds exactly those rows and both columns the sum needs, so the sum is
-- an index-only scan of the projects in construction instead of a scan of the whole (wide)
-- projects table. The predicate is IN_CONSTRUCTION there, written the same way so the planner
-- matches it.
create index projects_in_construction_investment_idx on projects (construction_start) include (total_investment)
  where ((track = 'approval' and status = 'approved') or (track = 'filing' and status = 'filed'));
