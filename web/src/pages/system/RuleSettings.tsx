// 规则设置 (第三十四条): thresholds and deadlines with their central defaults and the values
// provinces and departments set for themselves. Everyone signed in may read them (they decide
// when assessment is required and when work falls due); changing one needs 'rule:update' (the
// security administrator, I-56) and a reason, is audited, and is a new version in force from its
// effective date (today or later): earlier versions are listed and never rewritten.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, App, Button, Checkbox, DatePicker, Drawer, Empty, Form, Grid, Input, InputNumber, Modal, Radio, Space, Switch, Table, Tag, Tooltip, TreeSelect, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { EditOutlined, HistoryOutlined } from '@ant-design/icons';
import { request } from '../../api/client';
import { fieldErrorsOf, useApiFeedback } from '../../api/feedback';
import { useOrganizationList } from '../../api/useReference';
import type { LocalizedText, RuleSetting, RuleSettingChange, RuleSettingInput, RuleUnit, RuleValue } from '../../api/types';
import { useAuth, useMe } from '../../auth/AuthContext';
import { useLocale, useT, type MessageKey, type Translate } from '../../i18n';
import { beforeShanghaiToday, formatDateTime, shanghaiDay } from '../../utils/format';
import { groupThousands, normalizeAmountInput, WAN_PATTERN } from '../../utils/money';
import { orgTreeSelectData } from '../../utils/orgTree';

const ruleSettingsApi = {
  list: () => request<{ items: RuleSetting[] }>('GET', '/rule-settings'),
  update: (key: string, body: RuleSettingInput) => request<RuleSetting>('PUT', `/rule-settings/${encodeURIComponent(key)}`, { body }),
  history: (key: string) => request<{ items: RuleSettingChange[] }>('GET', '/rule-settings/history', { query: { key } }),
};

function useLocal() {
  const { locale } = useLocale();
  return useCallback((text: LocalizedText) => (locale === 'zh-CN' ? text.zh : text.en), [locale]);
}

/** A value as people read it: 3,000.00 万元, 20 天, 启用. */
function formatRuleValue(t: Translate, unit: RuleUnit, value: RuleValue): string {
  switch (unit) {
    case 'wan':
      return `${groupThousands(String(value))} ${t('rule.unit.wan')}`;
    case 'days':
      return `${value} ${t('rule.unit.days')}`;
    case 'months':
      return `${value} ${t('rule.unit.months')}`;
    case 'percent':
      return `${value}%`;
    case 'monthDay':
      return t('rule.unit.monthDay', { month: Number(String(value).slice(0, 2)), day: Number(String(value).slice(3, 5)) });
    case 'boolean':
      return value === true || value === 'true' ? t('rule.enabled') : t('rule.disabled');
    case 'steps':
      // 第三十条 escalation ladder (I-68): the codes in order, shown by their names.
      return String(value).split(',').map((s) => t(`supervision.step.${s.trim()}` as MessageKey)).join(' → ');
    default:
      return String(value);
  }
}

/** Two values are the same setting ("3000" and "3000.00" are). */
function sameValue(a: RuleValue, b: RuleValue): boolean {
  const norm = (v: RuleValue) => {
    const s = String(v).trim();
    return /^-?\d+\.\d*$/.test(s) ? s.replace(/\.?0+$/, '') : s;
  };
  return norm(a) === norm(b);
}

interface EditValues {
  scope: 'central' | 'organization';
  organizationId?: string;
  /** Remove the chosen organization's own value instead of setting one. */
  removeOverride?: boolean;
  value: RuleValue;
  reason: string;
  /** 第三十四条: the first day the new version is in force (today or later). */
  effectiveFrom: Dayjs;
}

/** An effective date as shown: 自始有效 for versions older than versioning. */
function effectiveLabel(t: Translate, date: string | null): string {
  return date === null || date === '0001-01-01' ? t('rule.fromTheBeginning') : date;
}

/** The value input of a unit: 万元 as a decimal string, days as a whole number, a switch. */
function ValueInput({ unit, value, onChange, disabled }: { unit: RuleUnit; value?: RuleValue; onChange?: (value: RuleValue) => void; disabled?: boolean }) {
  const t = useT();
  switch (unit) {
    case 'boolean':
      return (
        <Switch
          checked={value === true || value === 'true'}
          disabled={disabled}
          onChange={(checked) => onChange?.(checked)}
          checkedChildren={t('rule.enabled')}
          unCheckedChildren={t('rule.disabled')}
        />
      );
    case 'wan':
      return (
        <Input
          value={value === undefined ? '' : String(value)}
          onChange={(event) => onChange?.(event.target.value)}
          disabled={disabled}
          inputMode="decimal"
          suffix={t('rule.unit.wan')}
          className="rule-value-input"
        />
      );
    case 'days':
    case 'months':
      return (
        <InputNumber<number>
          value={typeof value === 'number' ? value : value === undefined || value === '' ? null : Number(value)}
          onChange={(next) => onChange?.(next ?? '')}
          disabled={disabled}
          min={1}
          max={unit === 'days' ? 365 : 120}
          precision={0}
          addonAfter={t(unit === 'days' ? 'rule.unit.days' : 'rule.unit.months')}
          className="rule-value-input"
        />
      );
    case 'percent':
      return (
        <Input
          value={value === undefined ? '' : String(value)}
          onChange={(event) => onChange?.(event.target.value)}
          disabled={disabled}
          inputMode="decimal"
          suffix="%"
          className="rule-value-input"
        />
      );
    default:
      return <Input value={String(value ?? '')} disabled={disabled} onChange={(event) => onChange?.(event.target.value)} />;
  }
}

function valueRules(t: Translate, unit: RuleUnit, skip: boolean) {
  return [
    {
      validator: async (_: unknown, value: RuleValue | undefined) => {
        if (unit === 'boolean' || skip) return;
        if (value === undefined || value === null || value === '') throw new Error(t('rule.value.required'));
        if (unit === 'wan' && !WAN_PATTERN.test(normalizeAmountInput(String(value)))) throw new Error(t('project.amount.invalid'));
        if (unit === 'days' && !(Number.isInteger(value) && Number(value) >= 1 && Number(value) <= 365)) throw new Error(t('rule.value.days.invalid'));
        if (unit === 'months' && !(Number.isInteger(value) && Number(value) >= 1 && Number(value) <= 120)) throw new Error(t('rule.value.months.invalid'));
        if (unit === 'percent' && !/^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/.test(String(value).trim())) throw new Error(t('rule.value.percent.invalid'));
        if (unit === 'monthDay' && !/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(String(value).trim())) throw new Error(t('rule.value.monthDay.invalid'));
      },
    },
  ];
}

/** The value sent for a unit: 万元 and percentages as exact decimal strings, periods as whole numbers. */
function toRequestValue(unit: RuleUnit, value: RuleValue): RuleValue {
  if (unit === 'wan') return normalizeAmountInput(String(value));
  if (unit === 'percent' || unit === 'monthDay' || unit === 'steps') return String(value).trim();
  if (unit === 'boolean') return value === true || value === 'true';
  return typeof value === 'number' ? value : Number(value);
}

function EditModal({ setting, onClose, onSaved }: { setting: RuleSetting | null; onClose: () => void; onSaved: (saved: RuleSetting) => void }) {
  const t = useT();
  const local = useLocal();
  const me = useMe();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [form] = Form.useForm<EditValues>();
  const [saving, setSaving] = useState(false);
  const organizations = useOrganizationList(setting !== null);
  const orgTree = useMemo(() => orgTreeSelectData(organizations.items), [organizations.items]);
  const scope = Form.useWatch('scope', form);
  const organizationId = Form.useWatch('organizationId', form);
  const removeOverride = Form.useWatch('removeOverride', form) === true;
  const hasOwnValue = scope === 'organization' && !!organizationId && !!setting?.overrides.some((o) => o.organizationId === organizationId);

  // The value in effect for the chosen scope: the organization's own, else the central one.
  const current = useMemo(() => {
    if (!setting) return null;
    if (scope === 'organization' && organizationId) {
      const own = setting.overrides.find((o) => o.organizationId === organizationId);
      if (own) return own.value;
    }
    return setting.value;
  }, [setting, scope, organizationId]);

  useEffect(() => {
    if (!setting) return;
    // The security administrator holds 'rule:update' for every jurisdiction: central by default.
    const central = me.roles.some((role) => role.code === 'security_admin') || me.organizations.length === 0;
    const ownOrg = central ? undefined : me.organizations[0]?.id;
    const own = ownOrg ? setting.overrides.find((o) => o.organizationId === ownOrg) : undefined;
    form.resetFields();
    form.setFieldsValue({
      scope: central ? 'central' : 'organization',
      organizationId: ownOrg,
      removeOverride: false,
      value: own ? own.value : setting.value,
      reason: '',
      effectiveFrom: shanghaiDay(),
    });
  }, [setting, form, me]);

  // Choosing another organization starts from the value in effect there.
  const onValuesChange = (changed: Partial<EditValues>) => {
    if (!setting || (!('scope' in changed) && !('organizationId' in changed))) return;
    const values = form.getFieldsValue();
    const own = values.scope === 'organization' && values.organizationId ? setting.overrides.find((o) => o.organizationId === values.organizationId) : undefined;
    form.setFieldValue('value', own ? own.value : setting.value);
    form.setFieldValue('removeOverride', false);
  };

  const submit = async () => {
    if (!setting) return;
    let values: EditValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const organization = values.scope === 'organization' ? (values.organizationId ?? null) : null;
      const saved = await ruleSettingsApi.update(setting.key, {
        organizationId: organization,
        value: organization !== null && values.removeOverride ? null : toRequestValue(setting.unit, values.value),
        reason: values.reason.trim(),
        effectiveFrom: values.effectiveFrom.format('YYYY-MM-DD'),
      });
      void message.success(t('rule.saved'));
      onSaved(saved);
    } catch (error) {
      const fields = fieldErrorsOf(error).flatMap((field) => {
        const name = field.name[0];
        return name === 'value' || name === 'reason' || name === 'organizationId' || name === 'effectiveFrom' ? [{ name: name as keyof EditValues, errors: field.errors }] : [];
      });
      if (fields.length > 0) form.setFields(fields);
      else showError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={setting !== null}
      title={setting ? t('rule.edit.title', { name: local(setting.name) }) : ''}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
    >
      {setting && (
        <>
          <Typography.Paragraph type="secondary" className="rule-edit-description">
            {local(setting.description)}
          </Typography.Paragraph>
          <Alert type="info" showIcon className="rule-edit-alert" message={t('rule.notRetroactive.versioned')} />
          <Form form={form} layout="vertical" name="ruleSetting" onValuesChange={onValuesChange}>
            <Form.Item name="scope" label={t('rule.scope')}>
              <Radio.Group
                options={[
                  { value: 'central', label: t('rule.scope.central') },
                  { value: 'organization', label: t('rule.scope.organization') },
                ]}
              />
            </Form.Item>
            {scope === 'organization' && (
              <Form.Item
                name="organizationId"
                label={t('rule.organization')}
                rules={[{ required: true, message: t('common.pleaseSelect', { field: t('rule.organization') }) }]}
              >
                <TreeSelect
                  treeData={orgTree}
                  loading={organizations.loading}
                  showSearch
                  treeNodeFilterProp="title"
                  treeDefaultExpandAll
                  placeholder={t('common.pleaseSelect', { field: t('rule.organization') })}
                />
              </Form.Item>
            )}
            <Form.Item label={t('rule.currentValue')}>
              <span className="rule-current-value">{current === null ? '—' : formatRuleValue(t, setting.unit, current)}</span>
              <Typography.Text type="secondary" className="small rule-default-note">
                {t('rule.defaultValue')}
                {t('common.colon')}
                {formatRuleValue(t, setting.unit, setting.defaultValue)}
              </Typography.Text>
            </Form.Item>
            {hasOwnValue && (
              <Form.Item name="removeOverride" valuePropName="checked">
                <Checkbox>{t('rule.removeOverride')}</Checkbox>
              </Form.Item>
            )}
            <Form.Item
              name="value"
              label={t('rule.newValue')}
              required={setting.unit !== 'boolean' && !removeOverride}
              rules={valueRules(t, setting.unit, hasOwnValue && removeOverride)}
            >
              <ValueInput unit={setting.unit} disabled={hasOwnValue && removeOverride} />
            </Form.Item>
            <Form.Item
              name="effectiveFrom"
              label={t('rule.effectiveFrom')}
              rules={[{ required: true, message: t('rule.effectiveFrom.required') }]}
            >
              <DatePicker className="rule-effective-from" allowClear={false} disabledDate={beforeShanghaiToday} />
            </Form.Item>
            <Form.Item
              name="reason"
              label={t('rule.reason')}
              rules={[{ required: true, whitespace: true, message: t('rule.reason.required') }]}
            >
              <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('rule.reason.placeholder')} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}

function HistoryDrawer({ setting, reloadKey, onClose }: { setting: RuleSetting | null; reloadKey: number; onClose: () => void }) {
  const t = useT();
  const local = useLocal();
  const screens = Grid.useBreakpoint();
  const { showError } = useApiFeedback();
  const [items, setItems] = useState<RuleSettingChange[]>([]);
  const [loading, setLoading] = useState(false);
  const key = setting?.key;
  const historyValue = (value: RuleValue | null) =>
    value === null ? t('rule.overrideRemoved') : setting ? formatRuleValue(t, setting.unit, value) : String(value);

  useEffect(() => {
    if (!key) return;
    let alive = true;
    setLoading(true);
    ruleSettingsApi
      .history(key)
      .then((result) => alive && setItems(result.items))
      .catch((error: unknown) => alive && showError(error))
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
  }, [key, reloadKey, showError]);

  return (
    <Drawer
      open={setting !== null}
      onClose={onClose}
      title={setting ? t('rule.history.title', { name: local(setting.name) }) : ''}
      width={screens.md ? 820 : '100%'}
      destroyOnHidden
      className="rule-history-drawer"
    >
      {setting &&
        (screens.md ? (
          <Table<RuleSettingChange>
            rowKey={(row) => `${row.changedAt}:${row.organizationId ?? ''}`}
            loading={loading}
            dataSource={items}
            pagination={false}
            size="small"
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rule.history.empty')} /> }}
            columns={[
              { title: t('rule.changedAt'), dataIndex: 'changedAt', width: 150, render: (value: string) => formatDateTime(value) },
              { title: t('rule.effectiveFrom'), dataIndex: 'effectiveFrom', width: 110, render: (value: string) => effectiveLabel(t, value) },
              { title: t('rule.scope'), dataIndex: 'organizationName', width: 150, render: (value: string | null) => value ?? t('rule.central') },
              { title: t('rule.newValue'), dataIndex: 'value', width: 150, render: (value: RuleValue | null) => historyValue(value) },
              { title: t('rule.changedBy'), dataIndex: 'changedBy', width: 90 },
              { title: t('rule.reason'), dataIndex: 'reason', render: (value: string) => <span className="break-word">{value}</span> },
            ]}
          />
        ) : (
          <Table<RuleSettingChange>
            rowKey={(row) => `${row.changedAt}:${row.organizationId ?? ''}`}
            loading={loading}
            dataSource={items}
            pagination={false}
            size="small"
            showHeader={false}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rule.history.empty')} /> }}
            columns={[
              {
                key: 'change',
                render: (_, row) => (
                  <Space direction="vertical" size={2}>
                    <strong>
                      {row.organizationName ?? t('rule.central')}
                      {t('common.colon')}
                      {historyValue(row.value)}
                    </strong>
                    <span className="break-word">{row.reason}</span>
                    <Typography.Text type="secondary" className="small">
                      {t('rule.effectiveFrom')}
                      {t('common.colon')}
                      {effectiveLabel(t, row.effectiveFrom)} · {row.changedBy} · {formatDateTime(row.changedAt)}
                    </Typography.Text>
                  </Space>
                ),
              },
            ]}
          />
        ))}
    </Drawer>
  );
}

export default function RuleSettings() {
  const t = useT();
  const local = useLocal();
  const { can } = useAuth();
  const { showError } = useApiFeedback();
  const canUpdate = can('rule:update');
  const [items, setItems] = useState<RuleSetting[]>([]);
  const [loading, setLoading] = useState(true);
  const [editing, setEditing] = useState<RuleSetting | null>(null);
  const [history, setHistory] = useState<RuleSetting | null>(null);
  const [historyReload, setHistoryReload] = useState(0);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const result = await ruleSettingsApi.list();
      setItems(result.items);
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  }, [showError]);

  useEffect(() => {
    void load();
  }, [load]);

  const onSaved = (saved: RuleSetting) => {
    setEditing(null);
    setItems((current) => current.map((item) => (item.key === saved.key ? saved : item)));
    setHistoryReload((n) => n + 1);
    void load();
  };

  const columns: ProColumns<RuleSetting>[] = [
    {
      title: t('rule.name'),
      dataIndex: 'name',
      render: (_, item) => (
        <div className="rule-name-cell">
          <strong>{local(item.name)}</strong>
          <Typography.Text type="secondary" className="small">
            {local(item.description)}
          </Typography.Text>
          <Typography.Text type="secondary" className="small mono">
            {item.key}
          </Typography.Text>
        </div>
      ),
    },
    { title: t('rule.article'), dataIndex: 'article', width: 100, render: (_, item) => <Tag color="blue">{item.article}</Tag> },
    {
      title: t('rule.defaultValue'),
      dataIndex: 'defaultValue',
      width: 112,
      render: (_, item) => <span className="nowrap">{formatRuleValue(t, item.unit, item.defaultValue)}</span>,
    },
    {
      title: t('rule.value'),
      dataIndex: 'value',
      width: 210,
      render: (_, item) => (
        <span>
          <strong>{formatRuleValue(t, item.unit, item.value)}</strong>
          {!sameValue(item.value, item.defaultValue) && (
            <Tooltip title={t('rule.differsFromDefault')}>
              <Tag color="orange" className="inline-tag">
                {t('rule.adjusted')}
              </Tag>
            </Tooltip>
          )}
          {item.effectiveFrom !== null && (
            <Typography.Text type="secondary" className="small rule-effective-note">
              <br />
              {t('rule.effectiveFrom')}
              {t('common.colon')}
              {effectiveLabel(t, item.effectiveFrom)}
            </Typography.Text>
          )}
          {item.versions
            .filter((v) => v.state === 'scheduled')
            .map((v) => (
              <Tooltip key={`${v.organizationId ?? ''}:${v.changedAt}`} title={`${v.organizationName ?? t('rule.central')} · ${v.changedBy}${t('common.colon')}${v.reason}`}>
                <Tag color="purple" className="inline-tag rule-scheduled-tag">
                  {t('rule.version.scheduled')}
                  {t('common.colon')}
                  {t('rule.scheduled.tag', { date: v.effectiveFrom, value: v.value === null ? t('rule.overrideRemoved') : formatRuleValue(t, item.unit, v.value) })}
                </Tag>
              </Tooltip>
            ))}
        </span>
      ),
    },
    {
      title: t('rule.overrides'),
      dataIndex: 'overrides',
      width: 200,
      render: (_, item) =>
        item.overrides.length === 0 ? (
          <Typography.Text type="secondary">{t('rule.overrides.none')}</Typography.Text>
        ) : (
          <div className="rule-overrides">
            {item.overrides.map((override) => (
              <Tooltip
                key={override.organizationId}
                title={`${override.changedBy} · ${formatDateTime(override.changedAt)}${t('common.colon')}${override.reason}`}
              >
                <Tag className="rule-override-tag">
                  {override.organizationName}
                  {t('common.colon')}
                  {formatRuleValue(t, item.unit, override.value)}
                </Tag>
              </Tooltip>
            ))}
          </div>
        ),
    },
    {
      title: t('rule.lastChange'),
      dataIndex: 'changedAt',
      width: 150,
      render: (_, item) =>
        item.changedAt ? (
          <div className="rule-change-cell">
            <span className="nowrap">{formatDateTime(item.changedAt, 'YYYY-MM-DD HH:mm')}</span>
            <Typography.Text type="secondary" className="small" ellipsis={{ tooltip: item.reason }}>
              {item.changedBy} · {item.reason}
            </Typography.Text>
          </div>
        ) : (
          '—'
        ),
    },
    {
      title: t('common.actions'),
      valueType: 'option',
      fixed: 'right',
      width: canUpdate ? 170 : 110,
      render: (_, item) => [
        canUpdate ? (
          <Button key="edit" type="link" size="small" className="rule-edit-button" icon={<EditOutlined />} onClick={() => setEditing(item)}>
            {t('rule.edit')}
          </Button>
        ) : null,
        <Button key="history" type="link" size="small" className="rule-history-button" icon={<HistoryOutlined />} onClick={() => setHistory(item)}>
          {t('rule.history')}
        </Button>,
      ],
    },
  ];

  return (
    <PageContainer className="rule-settings-page">
      <Alert type="info" showIcon className="rule-intro" message={t('rule.intro')} />
      <Alert type={canUpdate ? 'success' : 'warning'} showIcon className="rule-who-may-edit" message={t('rule.whoMayEdit')} />
      <ProTable<RuleSetting>
        rowKey="key"
        columns={columns}
        dataSource={items}
        loading={loading}
        search={false}
        pagination={false}
        headerTitle={t('rule.title')}
        options={{ reload: () => void load(), density: true, setting: true }}
        scroll={{ x: 1120 }}
      />
      <EditModal setting={editing} onClose={() => setEditing(null)} onSaved={onSaved} />
      <HistoryDrawer setting={history} reloadKey={historyReload} onClose={() => setHistory(null)} />
    </PageContainer>
  );
}
