-- 第三十条: 项目审批部门可以通报批评… — the approval department (role approver) records findings and
-- escalates for the projects in its remit too (I-66), beside GO, NDRC, MoF and CAC.
alter table supervision_findings drop constraint supervision_findings_issuer_role_check;
alter table supervision_findings add constraint supervision_findings_issuer_role_check
  check (issuer_role in ('go', 'ndrc', 'mof', 'cac', 'approver'));
alter table rectification_orders drop constraint rectification_orders_issuer_role_check;
alter table rectification_orders add constraint rectification_orders_issuer_role_check
  check (issuer_role in ('go', 'ndrc', 'mof', 'cac', 'approver'));
