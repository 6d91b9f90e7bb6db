-- 信息资源目录 per project (第十一条: 信息资源目录是审批政务信息化项目的前提条件; SPEC §5, §14).
-- The rules of src/domain/resource-catalog.ts, restated as constraints so no path around the
-- use case can store a resource the domain would refuse.

create table information_resources (
  id                        uuid primary key default gen_random_uuid(),
  project_id                uuid not null references projects(id) on delete cascade,
  -- 信息资源代码 written 类-项-目[-细目…]/顺序码 (RESOURCE_CODE_PATTERN).
  code                      text not null check (code ~ '^[1-3]-[0-9]{2}-[0-9]{3}(-[0-9]{1,8}){0,4}/[0-9]{1,12}$'),
  name                      text not null check (length(name) between 1 and 200 and btrim(name) <> ''),
  -- 资源属性分类 and, for 基础信息资源, the base resource.
  classification_kind       text not null check (classification_kind in ('base', 'theme', 'department')),
  base_category             text check (base_category in
                              ('population', 'legal_entity', 'natural_resources_geo', 'social_credit', 'e_certificate')),
  provider_organization_id  uuid not null references organizations(id),
  format                    text not null check (format in ('database', 'file', 'api', 'spreadsheet', 'image', 'other')),
  update_cycle              text not null check (update_cycle in
                              ('realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular')),
  sharing_type              text not null check (sharing_type in ('unconditional', 'conditional', 'none')),
  sharing_basis             text check (btrim(sharing_basis) <> ''),
  open_type                 text not null check (open_type in ('unconditional', 'conditional', 'none')),
  open_basis                text check (btrim(open_basis) <> ''),
  involves_secrets          boolean not null default false,
  -- [{name, type, description}], at least one.
  data_items                jsonb not null check (jsonb_typeof(data_items) = 'array' and jsonb_array_length(data_items) >= 1),
  version                   integer not null default 1,
  created_by                uuid not null references users(id),
  created_at                timestamptz not null default now(),
  updated_at                timestamptz not null default now(),
  unique (project_id, code),
  check ((classification_kind = 'base') = (base_category is not null)),
  -- The 分类码 agrees with the classification: 类 1/2/3, and 项 01–05 for the base resources.
  check (substr(code, 1, 1) = case classification_kind when 'base' then '1' when 'theme' then '2' else '3' end),
  check (base_category is null or substr(code, 3, 2) = case base_category
    when 'population' then '01' when 'legal_entity' then '02' when 'natural_resources_geo' then '03'
    when 'social_credit' then '04' else '05' end),
  -- 有条件共享 / 不予共享 with their basis, 无条件共享 without; the same for opening.
  check ((sharing_type = 'unconditional') = (sharing_basis is null)),
  check ((open_type = 'unconditional') = (open_basis is null)),
  -- A 涉密 resource is never open.
  check (not involves_secrets or open_type = 'none')
);
create index information_resources_provider_idx on information_resources (provider_organization_id);
