-- 第十八条: 投资规模大、建设单位不具备建设和运维能力的项目，应充分发挥专业机构作用（外包、购买服务），
-- 减少自建自管自用自维. The construction record says how the project is built and how its systems
-- will be run, and, when the unit builds and runs them itself, why it has the capability (I-94).
-- Migrations are append-only: never edit this file once it has landed; add a new one.
alter table construction_records
  add column build_model text check (build_model in ('self', 'professional', 'outsourced', 'service')),
  add column om_model text check (om_model in ('self', 'professional', 'outsourced', 'service')),
  add column delivery_note text check (char_length(delivery_note) <= 2000);
