// 登记 / 修改政务信息系统 (第十二条): every field of a system, the projects that built or upgraded
// it and the information resources (of those projects' 信息资源目录, 第十一条) it holds or
// collects. The domain's cross-field rules (涉密 → 分级保护 on the 内网 or a 孤网, the 等保备案编号 of
// a system in operation, one 新建 project, …) are the server's: its problem+json `errors[]` are
// put on the fields they name, nested ones (security.filingNumber, projects.1.relation) included,
// and listed above the form. A stale version (412) reloads the system.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert, App, AutoComplete, Button, Col, Divider, Drawer, Empty, Form, Grid, Input, InputNumber, Radio, Row, Select, Space, Switch,
  Typography,
} from 'antd';
import type { FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api/client';
import { fieldErrorsOf, useApiFeedback, type FieldPath } from '../../api/feedback';
import type { InformationResource } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import DepartmentSelect from '../../components/DepartmentSelect';
import { useT, type MessageKey } from '../../i18n';
import {
  catalogApi, MLPS_FILED_FROM_LEVEL, MLPS_FILING_NUMBER_PATTERN, MLPS_LEVELS, NETWORK_TYPES, PROJECT_RELATIONS, RESOURCE_RELATIONS,
  SYSTEM_STATUSES, type GovernmentSystem, type GovernmentSystemInput, type NetworkType, type ProjectRelation, type ProtectionScheme,
  type ResourceRelation, type SystemStatus,
} from './catalogApi';
import { BUSINESS_AREA_SUGGESTIONS } from './catalogUi';

interface FormValues {
  name: string;
  ownerOrganizationId: string;
  purpose: string;
  businessArea: string;
  networkType: NetworkType;
  involvesSecrets: boolean;
  security: { scheme: ProtectionScheme; mlpsLevel?: number | null; filingNumber?: string | null };
  userCount: number;
  status: SystemStatus;
  projects: Array<{ projectId?: string; relation?: ProjectRelation }>;
  /** `sourceProjectId` only chooses whose catalog to search; it is not sent. */
  resources: Array<{ sourceProjectId?: string; resourceId?: string; relation?: ResourceRelation }>;
}

interface ProjectOption {
  id: string;
  code: string;
  name: string;
}

function valuesOf(system: GovernmentSystem): FormValues {
  return {
    name: system.name,
    ownerOrganizationId: system.ownerOrganizationId,
    purpose: system.purpose,
    businessArea: system.businessArea,
    networkType: system.networkType,
    involvesSecrets: system.involvesSecrets,
    security: { ...system.security },
    userCount: system.userCount,
    status: system.status,
    projects: system.projects.map((p) => ({ projectId: p.projectId, relation: p.relation })),
    resources: system.resources.map((r) => ({ sourceProjectId: r.projectId, resourceId: r.resourceId, relation: r.relation })),
  };
}

function bodyOf(values: FormValues): GovernmentSystemInput {
  const scheme = values.security.scheme;
  const level = scheme === 'mlps' ? (values.security.mlpsLevel ?? null) : null;
  const filing = values.security.filingNumber?.trim();
  return {
    name: values.name?.trim() ?? '',
    ownerOrganizationId: values.ownerOrganizationId,
    purpose: values.purpose?.trim() ?? '',
    businessArea: values.businessArea?.trim() ?? '',
    networkType: values.networkType,
    involvesSecrets: values.involvesSecrets === true,
    security: {
      scheme,
      mlpsLevel: level,
      // 第一级 and 分级保护 are filed with nobody: what was typed before switching is dropped.
      filingNumber: scheme === 'mlps' && level !== null && level >= MLPS_FILED_FROM_LEVEL && filing ? filing : null,
    },
    userCount: typeof values.userCount === 'number' ? values.userCount : 0,
    status: values.status,
    projects: (values.projects ?? []).map((p) => ({ projectId: p.projectId ?? '', relation: p.relation ?? 'upgrade' })),
    resources: (values.resources ?? []).map((r) => ({ resourceId: r.resourceId ?? '', relation: r.relation ?? 'holds' })),
  };
}

/** Searches the projects the caller can see by name or code; shows the ones already linked. */
function ProjectPicker({
  value,
  onChange,
  known,
  onKnown,
  placeholder,
}: {
  value?: string;
  onChange?: (value: string | undefined) => void;
  known: Map<string, ProjectOption>;
  onKnown: (projects: ProjectOption[]) => void;
  placeholder: string;
}) {
  const t = useT();
  const [found, setFound] = useState<ProjectOption[] | null>(null);
  const [searching, setSearching] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const search = useCallback(
    (q: string) => {
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => {
        setSearching(true);
        api.projects
          .list({ q: q.trim() || undefined, page: 1, pageSize: 20 })
          .then((page) => {
            const options = page.items.map((p) => ({ id: p.id, code: p.code, name: p.name }));
            setFound(options);
            onKnown(options);
          })
          .catch(() => setFound([]))
          .finally(() => setSearching(false));
      }, 250);
    },
    [onKnown],
  );
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const options = useMemo(() => {
    const list = [...(found ?? [])];
    const current = value ? known.get(value) : undefined;
    if (current && !list.some((p) => p.id === current.id)) list.unshift(current);
    return list.map((p) => ({
      value: p.id,
      label: (
        <span className="catalog-project-option">
          <span>{p.name}</span>
          <Typography.Text type="secondary" className="mono small">
            {p.code}
          </Typography.Text>
        </span>
      ),
      title: `${p.name} ${p.code}`,
    }));
  }, [found, known, value]);
  return (
    <Select
      value={value}
      onChange={onChange}
      showSearch
      filterOption={false}
      onSearch={search}
      onFocus={() => found === null && search('')}
      loading={searching}
      options={options}
      optionLabelProp="title"
      placeholder={placeholder}
      notFoundContent={searching ? undefined : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('catalog.form.project.none')} />}
      className="catalog-project-picker"
      popupMatchSelectWidth={false}
    />
  );
}

/** The resources of one project's 信息资源目录 (GET /projects/:id/resources), searched locally. */
function ResourcePicker({
  projectId,
  value,
  onChange,
  catalogs,
  load,
  known,
}: {
  projectId: string | undefined;
  value?: string;
  onChange?: (value: string | undefined) => void;
  catalogs: Map<string, InformationResource[] | 'loading' | 'failed'>;
  load: (projectId: string) => void;
  known: Map<string, { code: string; name: string }>;
}) {
  const t = useT();
  useEffect(() => {
    if (projectId && !catalogs.has(projectId)) load(projectId);
  }, [catalogs, load, projectId]);
  const catalog = projectId ? catalogs.get(projectId) : undefined;
  const items = Array.isArray(catalog) ? catalog : [];
  const options = items.map((r) => ({ value: r.id, label: `${r.code} ${r.name}` }));
  const current = value ? known.get(value) : undefined;
  if (value && current && !options.some((o) => o.value === value)) options.unshift({ value, label: `${current.code} ${current.name}` });
  return (
    <Select
      value={value}
      onChange={onChange}
      disabled={!projectId}
      showSearch
      optionFilterProp="label"
      loading={catalog === 'loading'}
      options={options}
      placeholder={projectId ? t('catalog.form.resource.placeholder') : t('catalog.form.resource.project.placeholder')}
      notFoundContent={catalog === 'loading' ? undefined : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('catalog.form.resource.none')} />}
      className="catalog-resource-picker"
      popupMatchSelectWidth={false}
    />
  );
}

export default function SystemFormDrawer({
  open,
  system,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** The system to edit; undefined registers a new one. */
  system?: GovernmentSystem;
  onClose: () => void;
  onSaved: (system: GovernmentSystem) => void;
}) {
  const t = useT();
  const me = useMe();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [current, setCurrent] = useState<GovernmentSystem | undefined>(system);
  const [serverErrors, setServerErrors] = useState<{ name: FieldPath; errors: string[] }[]>([]);
  const [knownProjects, setKnownProjects] = useState<Map<string, ProjectOption>>(new Map());
  const [catalogs, setCatalogs] = useState<Map<string, InformationResource[] | 'loading' | 'failed'>>(new Map());


  const knownResources = useMemo(
    () => new Map((current?.resources ?? []).map((r) => [r.resourceId, { code: r.resourceCode, name: r.resourceName }])),
    [current],
  );

  const rememberProjects = useCallback((projects: ProjectOption[]) => {
    setKnownProjects((map) => {
      if (projects.every((p) => map.has(p.id))) return map;
      const next = new Map(map);
      for (const p of projects) next.set(p.id, p);
      return next;
    });
  }, []);

  const loadCatalog = useCallback((projectId: string) => {
    setCatalogs((map) => new Map(map).set(projectId, 'loading'));
    api.resources
      .list(projectId)
      .then((catalog) => setCatalogs((map) => new Map(map).set(projectId, catalog.items)))
      .catch(() => setCatalogs((map) => new Map(map).set(projectId, 'failed')));
  }, []);

  const reset = useCallback(
    (target: GovernmentSystem | undefined) => {
      setCurrent(target);
      setServerErrors([]);
      form.resetFields();
      if (target) {
        form.setFieldsValue(valuesOf(target));
        rememberProjects(target.projects.map((p) => ({ id: p.projectId, code: p.projectCode, name: p.projectName })));
      } else {
        form.setFieldsValue({
          ownerOrganizationId: me.organizations[0]?.id,
          networkType: 'extranet',
          involvesSecrets: false,
          security: { scheme: 'mlps', mlpsLevel: 2, filingNumber: null },
          userCount: 0,
          status: 'under_construction',
          projects: [],
          resources: [],
        });
      }
    },
    [form, me.organizations, rememberProjects],
  );

  useEffect(() => {
    if (open) reset(system);
  }, [open, reset, system]);

  // 涉密 and 分级保护 go together (SPEC §2, §14): switching one switches the other.
  const applyScheme = (scheme: ProtectionScheme) => {
    form.setFieldValue('involvesSecrets', scheme === 'classified');
    if (scheme === 'classified') form.setFieldsValue({ security: { scheme, mlpsLevel: null, filingNumber: null } });
    else {
      form.setFieldValue(['security', 'scheme'], scheme);
      if (!form.getFieldValue(['security', 'mlpsLevel'])) form.setFieldValue(['security', 'mlpsLevel'], 2);
    }
  };

  const onValuesChange = (changed: Partial<FormValues>) => {
    if (changed.involvesSecrets !== undefined) applyScheme(changed.involvesSecrets ? 'classified' : 'mlps');
    if (changed.security?.scheme !== undefined) applyScheme(changed.security.scheme);
    // Choosing another project for a resource row empties its resource.
    if (changed.resources) {
      changed.resources.forEach((row, index) => {
        if (row && 'sourceProjectId' in row && row.sourceProjectId !== undefined) form.setFieldValue(['resources', index, 'resourceId'], undefined);
      });
    }
    if (serverErrors.length > 0) setServerErrors([]);
  };

  const save = async () => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setServerErrors([]);
    try {
      const body = bodyOf({ ...form.getFieldsValue(true), ...values });
      const saved = current ? await catalogApi.systems.update(current.id, current.version, body) : await catalogApi.systems.create(body);
      void message.success(t(current ? 'catalog.saved.update' : 'catalog.saved.create', { name: saved.name }));
      onSaved(saved);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (fields.length > 0 && error instanceof ApiError) {
        // Every problem on its field, and listed above the form (some fields may be scrolled away).
        void message.error(error.title ?? t('error.unknown'));
        (form as FormInstance).setFields(fields);
        setServerErrors(fields);
        form.scrollToField(fields[0]!.name, { block: 'center' });
      } else if (error instanceof ApiError && error.isStale && current) {
        void message.warning(t('error.stale'));
        try {
          reset(await catalogApi.systems.get(current.id));
        } catch (reloadError) {
          showError(reloadError);
        }
      } else {
        showError(error);
      }
    } finally {
      setSaving(false);
    }
  };

  const labelOf = (name: FieldPath): string => {
    const [head, index, leaf] = name;
    const key = `catalog.field.${typeof head === 'string' ? head : ''}` as MessageKey;
    if (head === 'security' && typeof index === 'string') return t(`catalog.field.security.${index}` as MessageKey);
    if ((head === 'projects' || head === 'resources') && typeof index === 'number') {
      return `${t(key)} ${t('catalog.form.row', { no: index + 1 })}${leaf === 'relation' ? ` · ${t('catalog.form.relation')}` : ''}`;
    }
    return head === undefined ? '' : t(key);
  };

  const half = { xs: 24, md: 12 };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={screens.md ? 760 : '100%'}
      title={current ? t('catalog.form.edit.title') : t('catalog.form.create.title')}
      className="catalog-form-drawer"
      footer={
        <Space className="drawer-footer">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => void save()} className="catalog-form-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {serverErrors.length > 0 && (
        <Alert
          type="error"
          showIcon
          className="catalog-form-errors"
          message={t('catalog.form.serverErrors')}
          description={
            <ul className="catalog-form-error-list">
              {serverErrors.map(({ name, errors }) => (
                <li key={name.join('.')}>
                  <strong>{labelOf(name)}</strong>
                  {t('common.colon')}
                  {errors.join('；')}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Form<FormValues> form={form} layout="vertical" name="system-form" onValuesChange={onValuesChange} requiredMark>
        <Divider orientation="left" plain className="catalog-form-section">
          {t('catalog.form.section.basic')}
        </Divider>
        <Row gutter={16}>
          <Col span={24}>
            <Form.Item
              name="name"
              label={t('catalog.field.name')}
              rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('catalog.field.name') }) }]}
            >
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name="ownerOrganizationId"
              label={t('catalog.field.ownerOrganizationId')}
              extra={t('catalog.form.owner.help')}
              rules={[{ required: true, message: t('common.pleaseSelect', { field: t('catalog.field.ownerOrganizationId') }) }]}
            >
              {/* The organizations whose list the user keeps (catalog:manage scope), from the directory. */}
              <DepartmentSelect purpose="system-owner" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name="businessArea"
              label={t('catalog.field.businessArea')}
              rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('catalog.field.businessArea') }) }]}
            >
              <AutoComplete
                options={BUSINESS_AREA_SUGGESTIONS.map((value) => ({ value }))}
                filterOption={(input, option) => String(option?.value ?? '').includes(input.trim())}
                placeholder={t('catalog.form.businessArea.placeholder')}
                maxLength={100}
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              name="purpose"
              label={t('catalog.field.purpose')}
              rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('catalog.field.purpose') }) }]}
            >
              <Input.TextArea rows={3} maxLength={2000} showCount />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="status" label={t('catalog.field.status')} rules={[{ required: true }]}>
              <Radio.Group optionType="button" options={SYSTEM_STATUSES.map((s) => ({ value: s, label: t(`catalog.status.${s}`) }))} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name="userCount"
              label={t('catalog.field.userCount')}
              rules={[{ required: true, message: t('common.required', { field: t('catalog.field.userCount') }) }]}
            >
              <InputNumber min={0} max={2_000_000_000} precision={0} className="full-width" />
            </Form.Item>
          </Col>
        </Row>

        <Divider orientation="left" plain className="catalog-form-section">
          {t('catalog.form.section.security')}
        </Divider>
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Form.Item name="networkType" label={t('catalog.field.networkType')} rules={[{ required: true }]}>
              <Radio.Group
                optionType="button"
                className="catalog-network-type"
                options={NETWORK_TYPES.map((n) => ({ value: n, label: t(`catalog.network.${n}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="involvesSecrets" label={t('catalog.field.involvesSecrets')} valuePropName="checked" extra={t('catalog.form.secret.help')}>
              <Switch checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} />
            </Form.Item>
          </Col>
          <Form.Item noStyle shouldUpdate={(a, b) => a.networkType !== b.networkType}>
            {({ getFieldValue }) =>
              getFieldValue('networkType') === 'isolated' ? (
                <Col span={24}>
                  <Alert type="warning" showIcon icon={<WarningOutlined />} className="catalog-isolated-warning" message={t('catalog.form.isolated.warning')} />
                </Col>
              ) : null
            }
          </Form.Item>
          <Col {...half}>
            <Form.Item name={['security', 'scheme']} label={t('catalog.field.security.scheme')} rules={[{ required: true }]}>
              <Radio.Group options={(['mlps', 'classified'] as const).map((s) => ({ value: s, label: t(`catalog.scheme.${s}`) }))} />
            </Form.Item>
          </Col>
          <Form.Item noStyle shouldUpdate={(a, b) => a.security?.scheme !== b.security?.scheme || a.security?.mlpsLevel !== b.security?.mlpsLevel}>
            {({ getFieldValue }) => {
              const scheme = getFieldValue(['security', 'scheme']) as ProtectionScheme | undefined;
              const level = getFieldValue(['security', 'mlpsLevel']) as number | null | undefined;
              if (scheme !== 'mlps') return null;
              return (
                <>
                  <Col {...half}>
                    <Form.Item
                      name={['security', 'mlpsLevel']}
                      label={t('catalog.field.security.mlpsLevel')}
                      rules={[{ required: true, message: t('common.pleaseSelect', { field: t('catalog.field.security.mlpsLevel') }) }]}
                    >
                      <Select options={MLPS_LEVELS.map((l) => ({ value: l, label: t(`catalog.level.${l}`) }))} />
                    </Form.Item>
                  </Col>
                  {typeof level === 'number' && level >= MLPS_FILED_FROM_LEVEL && (
                    <Col {...half}>
                      <Form.Item
                        name={['security', 'filingNumber']}
                        label={t('catalog.field.security.filingNumber')}
                        extra={t('catalog.form.filingNumber.help')}
                        rules={[{ pattern: MLPS_FILING_NUMBER_PATTERN, message: t('catalog.form.filingNumber.invalid') }]}
                        normalize={(value: string) => value?.replace(/\s/g, '')}
                      >
                        <Input maxLength={20} placeholder="11010843001-20001" className="mono" />
                      </Form.Item>
                    </Col>
                  )}
                </>
              );
            }}
          </Form.Item>
        </Row>

        <Divider orientation="left" plain className="catalog-form-section">
          {t('catalog.form.section.links')}
        </Divider>
        <Typography.Paragraph type="secondary" className="small">
          {t('catalog.form.links.help')}
        </Typography.Paragraph>
        <Form.Item label={t('catalog.field.projects')} className="catalog-links-item">
          <Form.List name="projects">
            {(fields, { add, remove }) => (
              <div className="catalog-link-rows">
                {fields.map((field) => (
                  <div key={field.key} className="catalog-link-row">
                    <Form.Item
                      name={[field.name, 'projectId']}
                      className="catalog-link-main"
                      rules={[{ required: true, message: t('common.pleaseSelect', { field: t('catalog.field.projects') }) }]}
                    >
                      <ProjectPicker known={knownProjects} onKnown={rememberProjects} placeholder={t('catalog.form.project.placeholder')} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'relation']} className="catalog-link-relation" initialValue="upgrade">
                      <Select options={PROJECT_RELATIONS.map((r) => ({ value: r, label: t(`catalog.projectRelation.${r}`) }))} />
                    </Form.Item>
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('catalog.form.remove')} />
                  </div>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ relation: fields.length === 0 ? 'new' : 'upgrade' })} block className="catalog-add-project">
                  {t('catalog.form.project.add')}
                </Button>
              </div>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item label={t('catalog.field.resources')} className="catalog-links-item">
          <Form.List name="resources">
            {(fields, { add, remove }) => (
              <div className="catalog-link-rows">
                {fields.map((field) => (
                  <div key={field.key} className="catalog-link-row catalog-resource-row">
                    <Form.Item name={[field.name, 'sourceProjectId']} className="catalog-link-source">
                      <ProjectPicker known={knownProjects} onKnown={rememberProjects} placeholder={t('catalog.form.resource.project')} />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate={(a, b) => a.resources?.[field.name]?.sourceProjectId !== b.resources?.[field.name]?.sourceProjectId}>
                      {({ getFieldValue }) => (
                        <Form.Item
                          name={[field.name, 'resourceId']}
                          className="catalog-link-main"
                          rules={[{ required: true, message: t('common.pleaseSelect', { field: t('catalog.field.resources') }) }]}
                        >
                          <ResourcePicker
                            projectId={getFieldValue(['resources', field.name, 'sourceProjectId']) as string | undefined}
                            catalogs={catalogs}
                            load={loadCatalog}
                            known={knownResources}
                          />
                        </Form.Item>
                      )}
                    </Form.Item>
                    <Form.Item name={[field.name, 'relation']} className="catalog-link-relation" initialValue="holds">
                      <Select options={RESOURCE_RELATIONS.map((r) => ({ value: r, label: t(`catalog.resourceRelation.${r}`) }))} />
                    </Form.Item>
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('catalog.form.remove')} />
                  </div>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  block
                  className="catalog-add-resource"
                  onClick={() => {
                    // A new row starts on the first linked project, the usual source of its resources.
                    const first = (form.getFieldValue('projects') as FormValues['projects'] | undefined)?.find((p) => p?.projectId)?.projectId;
                    add({ sourceProjectId: first, relation: 'holds' });
                  }}
                >
                  {t('catalog.form.resource.add')}
                </Button>
              </div>
            )}
          </Form.List>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
