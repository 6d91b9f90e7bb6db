import { useEffect, useMemo, useState } from 'react';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { SafetyCertificateOutlined, TeamOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import type { Duty, Permission, Role, Scope } from '../../api/types';
import { useLocale, useT } from '../../i18n';

const SCOPE_COLORS: Record<Scope, string> = {
  all: 'red',
  subtree: 'orange',
  own: 'blue',
  custom: 'purple',
  self: 'green',
};
const SCOPES: Scope[] = ['all', 'subtree', 'own', 'custom', 'self'];

const DUTY_COLORS: Record<Duty, string> = {
  business: 'default',
  system_admin: 'geekblue',
  security_admin: 'volcano',
  audit_admin: 'gold',
};

interface Row {
  key: string;
  permission?: Permission;
  group: string;
  groupSize: number;
  isFirstInGroup: boolean;
}

export default function Roles() {
  const t = useT();
  const { locale, tx } = useLocale();
  const { showError } = useApiFeedback();
  const [roles, setRoles] = useState<Role[]>([]);
  const [permissions, setPermissions] = useState<Permission[]>([]);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let alive = true;
    Promise.all([api.roles.list(), api.roles.permissions()])
      .then(([roleResult, permissionResult]) => {
        if (!alive) return;
        // the three administrators first (三员分立), then the business roles in server order
        const dutyOrder: Duty[] = ['system_admin', 'security_admin', 'audit_admin', 'business'];
        setRoles([...roleResult.items].sort((a, b) => dutyOrder.indexOf(a.duty) - dutyOrder.indexOf(b.duty)));
        setPermissions(permissionResult.items);
      })
      .catch((error: unknown) => alive && showError(error))
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
  }, [showError]);

  const localName = (item: { name: string; nameEn: string | null }) => (locale === 'en-US' && item.nameEn ? item.nameEn : item.name);
  // Prefer the server's name; fall back to the catalog when it only repeats the code.
  const permissionLabel = (permission: Permission) => {
    const name = localName(permission);
    return name && name !== permission.code ? name : tx(`perm.${permission.code}`, permission.code);
  };

  // Rows grouped by permission group, in the server's order; grants for permissions the
  // catalog does not list are appended so nothing granted is hidden.
  const rows = useMemo<Row[]>(() => {
    const known = new Set(permissions.map((p) => p.code));
    const extra: Permission[] = [];
    for (const role of roles) {
      for (const grant of role.grants) {
        if (!known.has(grant.permission)) {
          known.add(grant.permission);
          extra.push({ code: grant.permission, name: tx(`perm.${grant.permission}`, grant.permission), nameEn: null, group: grant.permission.split(':')[0] ?? '', kind: 'button' });
        }
      }
    }
    const groups = new Map<string, Permission[]>();
    for (const permission of [...permissions, ...extra]) {
      groups.set(permission.group, [...(groups.get(permission.group) ?? []), permission]);
    }
    const result: Row[] = [];
    for (const [group, list] of groups) {
      list.forEach((permission, index) =>
        result.push({ key: permission.code, permission, group, groupSize: list.length, isFirstInGroup: index === 0 }),
      );
    }
    return result;
  }, [permissions, roles, tx]);

  const grantIndex = useMemo(() => {
    const index = new Map<string, Scope>();
    for (const role of roles) for (const grant of role.grants) index.set(`${role.code}|${grant.permission}`, grant.scope);
    return index;
  }, [roles]);

  const columns: ColumnsType<Row> = [
    {
      title: t('role.permissionGroup'),
      dataIndex: 'group',
      fixed: 'left',
      width: 110,
      onCell: (row) => ({ rowSpan: row.isFirstInGroup ? row.groupSize : 0, className: 'matrix-group-cell' }),
      render: (group: string) => <Typography.Text strong>{tx(`permGroup.${group}`, group)}</Typography.Text>,
    },
    {
      title: t('role.permission'),
      key: 'permission',
      fixed: 'left',
      width: 240,
      render: (_, row) =>
        row.permission && (
          <Space direction="vertical" size={0}>
            <Space size={6}>
              <span>{permissionLabel(row.permission)}</span>
              <Tag bordered={false} color={row.permission.kind === 'menu' ? 'cyan' : 'default'}>
                {t(`role.kind.${row.permission.kind}`)}
              </Tag>
            </Space>
            <Typography.Text type="secondary" className="mono small">
              {row.permission.code}
            </Typography.Text>
          </Space>
        ),
    },
    ...roles.map((role) => ({
      key: role.code,
      width: 170,
      align: 'center' as const,
      title: (
        <Space direction="vertical" size={2} className="role-column-title">
          <span>{localName(role)}</span>
          <Space size={2} wrap className="role-column-tags">
            {localName(role) !== t(`role.duty.${role.duty}`) && (
              <Tag color={DUTY_COLORS[role.duty]} bordered={false}>
                {t(`role.duty.${role.duty}`)}
              </Tag>
            )}
            {role.requiresTotp && (
              <Tooltip title={t('role.requiresTotp')}>
                <SafetyCertificateOutlined className="totp-icon" />
              </Tooltip>
            )}
          </Space>
        </Space>
      ),
      render: (_: unknown, row: Row) => {
        const scope = grantIndex.get(`${role.code}|${row.key}`);
        return scope ? (
          <Tag color={SCOPE_COLORS[scope]} className="scope-tag">
            {t(`role.scope.${scope}`)}
          </Tag>
        ) : (
          <span className="not-granted" aria-label={t('role.notGranted')}>
            —
          </span>
        );
      },
    })),
  ];

  return (
    <PageContainer content={t('role.matrix.desc')}>
      <Space direction="vertical" size={16} className="full-width">
        <Alert
          type="info"
          showIcon
          icon={<TeamOutlined />}
          message={t('role.separation.title')}
          description={t('role.separation.desc')}
        />
        <Card
          title={t('role.matrix.title')}
          extra={
            <Space size={4} wrap>
              <Typography.Text type="secondary">{t('role.scope.legend')}</Typography.Text>
              {SCOPES.map((scope) => (
                <Tag key={scope} color={SCOPE_COLORS[scope]}>
                  {t(`role.scope.${scope}`)}
                </Tag>
              ))}
            </Space>
          }
        >
          <Table<Row>
            rowKey="key"
            size="small"
            bordered
            loading={loading}
            columns={columns}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 350 + roles.length * 170 }}
            sticky
          />
        </Card>
      </Space>
    </PageContainer>
  );
}
