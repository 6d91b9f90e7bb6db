import { useMemo, useRef, useState } from 'react';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Badge, Button, Col, Dropdown, Form, Input, Modal, Popconfirm, Row, Select, Tag, Tooltip, TreeSelect, Typography } from 'antd';
import type { FormRule } from 'antd';
import {
  DownloadOutlined,
  EditOutlined,
  KeyOutlined,
  LockOutlined,
  MoreOutlined,
  PlusOutlined,
  SafetyCertificateOutlined,
  UnlockOutlined,
} from '@ant-design/icons';
import { api, ApiError } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useOrganizationList, useRoleList } from '../../api/useReference';
import type { Role, UpdateUserInput, User, UserStatus } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useLocale, useT, type Translate } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { orgTreeSelectData } from '../../utils/orgTree';
import TotpSecretModal, { type TotpSecretInfo } from '../../components/TotpSecretModal';

interface UserFormValues {
  username: string;
  displayName: string;
  password?: string;
  confirm?: string;
  phone?: string;
  organizationIds: string[];
  roleCodes: string[];
}

function sameSet(a: string[], b: string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((item) => right.has(item));
}

const STATUS_BADGE: Record<UserStatus, 'success' | 'error' | 'warning'> = {
  active: 'success',
  locked: 'warning',
  disabled: 'error',
};

/** Client-side mirror of the password policy; the server has the final word. */
function passwordRules(t: Translate, getUsername: () => string | undefined) {
  return [
    { required: true, message: t('common.required', { field: t('user.newPassword') }) },
    {
      validator: async (_: unknown, value: string | undefined) => {
        if (!value) return;
        if (value.length < 12) throw new Error(t('user.password.tooShort'));
        const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
        if (classes < 3) throw new Error(t('user.password.classes'));
        const username = getUsername()?.trim().toLowerCase();
        if (username && value.toLowerCase().includes(username)) throw new Error(t('user.password.containsUsername'));
      },
    },
  ];
}

/** The confirmation field must repeat the `password` field of the same form. */
function confirmPasswordRules(t: Translate): FormRule[] {
  return [
    { required: true, message: t('common.required', { field: t('user.confirmPassword') }) },
    ({ getFieldValue }) => ({
      validator: async (_, value: string | undefined) => {
        if (value && value !== getFieldValue('password')) throw new Error(t('user.password.mismatch'));
      },
    }),
  ];
}

export default function Users() {
  const t = useT();
  const { locale } = useLocale();
  const can = useCan();
  const { message, modal } = App.useApp();
  const { showError, showFormError } = useApiFeedback();
  const actionRef = useRef<ActionType>(null);
  const lastQuery = useRef<{ q?: string; organizationId?: string }>({});
  const organizations = useOrganizationList();
  const roles = useRoleList();

  const [editing, setEditing] = useState<{ mode: 'create' } | { mode: 'edit'; user: User } | null>(null);
  const [passwordFor, setPasswordFor] = useState<User | null>(null);
  const [totpInfo, setTotpInfo] = useState<TotpSecretInfo | null>(null);
  const [saving, setSaving] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [userForm] = Form.useForm<UserFormValues>();
  const [passwordForm] = Form.useForm<{ password: string; confirm: string }>();

  const orgTree = useMemo(() => orgTreeSelectData(organizations.items), [organizations.items]);
  const roleByCode = useMemo(() => new Map(roles.items.map((role) => [role.code, role])), [roles.items]);
  const roleName = (role: Role) => (locale === 'en-US' && role.nameEn ? role.nameEn : role.name);
  const roleOptions = roles.items.map((role) => ({
    value: role.code,
    label: role.requiresTotp ? `${roleName(role)} · ${t('role.requiresTotp')}` : roleName(role),
  }));

  const reload = () => actionRef.current?.reload();
  const canUpdate = can('system:user:update');
  const canGrant = can('system:user:grant');

  const openCreate = () => {
    userForm.resetFields();
    setEditing({ mode: 'create' });
  };

  const openEdit = (user: User) => {
    userForm.resetFields();
    userForm.setFieldsValue({
      username: user.username,
      displayName: user.displayName,
      phone: '',
      organizationIds: user.organizations.map((org) => org.id),
      roleCodes: user.roles,
    });
    setEditing({ mode: 'edit', user });
  };

  const submitUser = async () => {
    if (!editing) return;
    let values: UserFormValues;
    try {
      values = await userForm.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      if (editing.mode === 'create') {
        const result = await api.users.create({
          username: values.username.trim(),
          displayName: values.displayName.trim(),
          password: values.password ?? '',
          ...(values.phone?.trim() ? { phone: values.phone.trim() } : {}),
          organizationIds: values.organizationIds ?? [],
          // granting roles needs system:user:grant (a different duty from creating accounts)
          roleCodes: canGrant ? (values.roleCodes ?? []) : [],
        });
        void message.success(t('common.created'));
        setEditing(null);
        if (result.totpSecret && result.totpUri) {
          setTotpInfo({
            username: result.user.username,
            displayName: result.user.displayName,
            totpSecret: result.totpSecret,
            totpUri: result.totpUri,
          });
        }
      } else {
        const { user } = editing;
        // Send only what changed: profile fields need system:user:update, roles system:user:grant.
        const patch: UpdateUserInput = {};
        if (canUpdate) {
          const displayName = values.displayName.trim();
          if (displayName !== user.displayName) patch.displayName = displayName;
          if (values.phone?.trim()) patch.phone = values.phone.trim();
          const organizationIds = values.organizationIds ?? [];
          if (!sameSet(organizationIds, user.organizations.map((org) => org.id))) patch.organizationIds = organizationIds;
        }
        if (canGrant) {
          const roleCodes = values.roleCodes ?? [];
          if (!sameSet(roleCodes, user.roles)) patch.roleCodes = roleCodes;
        }
        if (Object.keys(patch).length === 0) {
          setEditing(null);
          return;
        }
        const updated = await api.users.update(user.id, user.version, patch);
        void message.success(t('common.saved'));
        setEditing(null);
        if (updated.totpSecret && updated.totpUri) {
          setTotpInfo({ username: updated.username, displayName: updated.displayName, totpSecret: updated.totpSecret, totpUri: updated.totpUri });
        }
      }
      reload();
    } catch (error) {
      if (error instanceof ApiError && error.isStale) {
        void message.warning(t('error.stale'));
        setEditing(null);
        reload();
      } else {
        showFormError(userForm, error);
      }
    } finally {
      setSaving(false);
    }
  };

  const submitPassword = async () => {
    if (!passwordFor) return;
    let values: { password: string };
    try {
      values = await passwordForm.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      await api.users.setPassword(passwordFor.id, values.password);
      void message.success(t('user.resetPassword.done'));
      setPasswordFor(null);
    } catch (error) {
      showFormError(passwordForm, error);
    } finally {
      setSaving(false);
    }
  };

  const toggleLock = async (user: User) => {
    try {
      // lock sets 'disabled'; unlock clears that and a login-failure lock ('locked') alike
      if (user.status !== 'active') {
        await api.users.unlock(user.id);
        void message.success(t('user.unlocked'));
      } else {
        await api.users.lock(user.id);
        void message.success(t('user.locked'));
      }
      reload();
    } catch (error) {
      showError(error);
    }
  };

  const resetTotp = async (user: User) => {
    try {
      const secret = await api.users.resetTotp(user.id);
      setTotpInfo({ username: user.username, displayName: user.displayName, ...secret });
      reload();
    } catch (error) {
      showError(error);
    }
  };

  const exportUsers = async () => {
    setExporting(true);
    try {
      await api.users.export(lastQuery.current);
      void message.success(t('common.exported'));
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  const columns: ProColumns<User>[] = [
    {
      title: t('user.keyword'),
      dataIndex: 'q',
      hideInTable: true,
      fieldProps: { placeholder: t('user.keyword.placeholder') },
    },
    {
      title: t('user.organization'),
      dataIndex: 'organizationId',
      hideInTable: true,
      renderFormItem: () => (
        <TreeSelect treeData={orgTree} allowClear showSearch treeNodeFilterProp="title" treeDefaultExpandAll placeholder={t('common.pleaseSelect', { field: t('user.organization') })} />
      ),
    },
    {
      title: t('user.username'),
      dataIndex: 'username',
      search: false,
      width: 140,
      render: (_, user) => <Typography.Text strong>{user.username}</Typography.Text>,
    },
    { title: t('user.displayName'), dataIndex: 'displayName', search: false, width: 120 },
    {
      title: t('user.phone'),
      dataIndex: 'phoneMasked',
      search: false,
      width: 130,
      render: (_, user) => <span className="mono">{user.phoneMasked || '—'}</span>,
    },
    {
      title: t('user.organizations'),
      dataIndex: 'organizations',
      search: false,
      width: 220,
      render: (_, user) =>
        user.organizations.length > 0 ? (
          <div className="cell-tags">
            {user.organizations.map((org) => (
              <Tooltip key={org.id} title={org.name}>
                <Tag>{org.name}</Tag>
              </Tooltip>
            ))}
          </div>
        ) : (
          '—'
        ),
    },
    {
      title: t('user.roles'),
      dataIndex: 'roles',
      search: false,
      width: 200,
      render: (_, user) =>
        user.roles.length > 0 ? (
          <div className="cell-tags">
            {user.roles.map((code) => {
              const role = roleByCode.get(code);
              return (
                <Tag key={code} color="geekblue">
                  {role ? roleName(role) : code}
                </Tag>
              );
            })}
          </div>
        ) : (
          '—'
        ),
    },
    {
      title: t('user.status'),
      dataIndex: 'status',
      search: false,
      width: 150,
      render: (_, user) => {
        const badge = <Badge status={STATUS_BADGE[user.status]} text={t(`user.status.${user.status}`)} />;
        return user.lockedUntil ? <Tooltip title={t('user.lockedUntil', { time: formatDateTime(user.lockedUntil) })}>{badge}</Tooltip> : badge;
      },
    },
    {
      title: t('user.totp'),
      dataIndex: 'totpEnabled',
      search: false,
      width: 100,
      render: (_, user) =>
        user.totpEnabled ? (
          <Tag icon={<SafetyCertificateOutlined />} color="green">
            {t('user.totp.enabled')}
          </Tag>
        ) : (
          <Tag>{t('user.totp.disabled')}</Tag>
        ),
    },
    {
      title: t('user.lastLoginAt'),
      dataIndex: 'lastLoginAt',
      search: false,
      width: 170,
      render: (_, user) => (user.lastLoginAt ? formatDateTime(user.lastLoginAt) : <Typography.Text type="secondary">{t('user.never')}</Typography.Text>),
    },
    {
      title: t('common.actions'),
      valueType: 'option',
      fixed: 'right',
      width: 200,
      render: (_, user) => {
        const actions = [];
        if (canUpdate || canGrant) {
          actions.push(
            <a key="edit" onClick={() => openEdit(user)}>
              <EditOutlined /> {t('common.edit')}
            </a>,
          );
        }
        if (can('system:user:lock')) {
          const locked = user.status !== 'active';
          actions.push(
            <Popconfirm
              key="lock"
              title={t(locked ? 'user.unlock.confirm' : 'user.lock.confirm', { name: user.displayName })}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={() => toggleLock(user)}
            >
              <a className={locked ? undefined : 'danger-link'}>
                {locked ? <UnlockOutlined /> : <LockOutlined />} {t(locked ? 'user.unlock' : 'user.lock')}
              </a>
            </Popconfirm>,
          );
        }
        if (can('system:user:reset-password')) {
          actions.push(
            <Dropdown
              key="more"
              menu={{
                items: [
                  { key: 'password', icon: <KeyOutlined />, label: t('user.resetPassword') },
                  { key: 'totp', icon: <SafetyCertificateOutlined />, label: t('user.resetTotp') },
                ],
                onClick: ({ key }) => {
                  if (key === 'password') {
                    passwordForm.resetFields();
                    setPasswordFor(user);
                  } else {
                    modal.confirm({
                      title: t('user.resetTotp'),
                      content: t('user.resetTotp.confirm', { name: user.displayName }),
                      okText: t('common.ok'),
                      cancelText: t('common.cancel'),
                      onOk: () => resetTotp(user),
                    });
                  }
                },
              }}
            >
              <a>
                {t('common.more')} <MoreOutlined />
              </a>
            </Dropdown>,
          );
        }
        return actions.length > 0 ? actions : '—';
      },
    },
  ];

  const isCreate = editing?.mode === 'create';

  return (
    <PageContainer>
      <ProTable<User, { q?: string; organizationId?: string }>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        headerTitle={t('user.title')}
        scroll={{ x: 1500 }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => t('common.total', { total }) }}
        request={async (params) => {
          const query = {
            q: params.q?.trim() || undefined,
            organizationId: params.organizationId || undefined,
          };
          lastQuery.current = query;
          try {
            const result = await api.users.list({ ...query, page: params.current ?? 1, pageSize: params.pageSize ?? 20 });
            return { data: result.items, total: result.total, success: true };
          } catch (error) {
            showError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        toolBarRender={() => [
          can('system:user:export') ? (
            <Button key="export" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportUsers()}>
              {exporting ? t('common.exporting') : t('common.export')}
            </Button>
          ) : null,
          can('system:user:create') ? (
            <Button key="create" type="primary" icon={<PlusOutlined />} onClick={openCreate}>
              {t('user.create')}
            </Button>
          ) : null,
        ]}
      />

      <Modal
        open={editing !== null}
        title={editing?.mode === 'edit' ? t('user.edit.title', { name: editing.user.displayName }) : t('user.create.title')}
        width={720}
        okText={isCreate ? t('common.create') : t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => void submitUser()}
        onCancel={() => setEditing(null)}
        maskClosable={false}
        forceRender
      >
        <Form<UserFormValues> form={userForm} name="user" layout="vertical" className="user-form">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="username"
                label={t('user.username')}
                rules={
                  isCreate
                    ? [
                        { required: true, message: t('common.required', { field: t('user.username') }) },
                        { pattern: /^[a-z][a-z0-9_.-]{2,31}$/, message: t('user.username.invalid') },
                      ]
                    : []
                }
              >
                <Input disabled={!isCreate} maxLength={32} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="displayName"
                label={t('user.displayName')}
                rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('user.displayName') }) }, { max: 100 }]}
              >
                <Input maxLength={100} disabled={!isCreate && !canUpdate} autoComplete="off" />
              </Form.Item>
            </Col>
            {isCreate && (
              <>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="password"
                    label={t('user.password')}
                    rules={passwordRules(t, () => userForm.getFieldValue('username') as string | undefined)}
                    dependencies={['username']}
                  >
                    <Input.Password autoComplete="new-password" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="confirm"
                    label={t('user.confirmPassword')}
                    dependencies={['password']}
                    rules={confirmPasswordRules(t)}
                  >
                    <Input.Password autoComplete="new-password" />
                  </Form.Item>
                </Col>
                <Col span={24}>
                  <Typography.Paragraph type="secondary" className="password-policy">
                    <KeyOutlined /> {t('user.password.policy')}
                  </Typography.Paragraph>
                </Col>
              </>
            )}
            <Col xs={24} md={12}>
              <Form.Item
                name="phone"
                label={t('user.phone')}
                extra={editing?.mode === 'edit' && editing.user.phoneMasked ? t('user.phone.current', { phone: editing.user.phoneMasked }) : undefined}
                rules={[{ pattern: /^1\d{10}$/, message: t('user.phone.invalid') }]}
              >
                <Input maxLength={11} disabled={!isCreate && !canUpdate} autoComplete="off" placeholder={isCreate ? undefined : t('user.phone.keep')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="organizationIds" label={t('user.organizations')} rules={[{ required: true, message: t('common.pleaseSelect', { field: t('user.organizations') }) }]}>
                <TreeSelect
                  treeData={orgTree}
                  multiple
                  allowClear
                  showSearch
                  treeNodeFilterProp="title"
                  treeDefaultExpandAll
                  maxTagCount="responsive"
                  disabled={!isCreate && !canUpdate}
                />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="roleCodes" label={t('user.roles')} extra={canGrant ? undefined : t('user.roles.grantOnly')}>
                <Select mode="multiple" options={roleOptions} allowClear optionFilterProp="label" loading={roles.loading} disabled={!canGrant} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Modal>

      <Modal
        open={passwordFor !== null}
        title={passwordFor ? t('user.resetPassword.title', { name: passwordFor.displayName }) : ''}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => void submitPassword()}
        onCancel={() => setPasswordFor(null)}
        maskClosable={false}
        forceRender
      >
        <Form form={passwordForm} name="resetPassword" layout="vertical">
          <Form.Item name="password" label={t('user.newPassword')} rules={passwordRules(t, () => passwordFor?.username)} extra={t('user.password.policy')}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('user.confirmPassword')}
            dependencies={['password']}
            rules={confirmPasswordRules(t)}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>

      <TotpSecretModal info={totpInfo} onClose={() => setTotpInfo(null)} />
    </PageContainer>
  );
}
