// 协同关系 on the project detail (第十条): the framework plan whose part the project is; for a local
// sub-project, the national project it follows (linked by its 项目代码, which a local unit knows but
// cannot otherwise see); for a national project, its local sub-projects by province.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Collapse, Descriptions, Form, Grid, Input, List, Popconfirm, Select, Space, Spin, Tag, Typography } from 'antd';
import { DisconnectOutlined, LinkOutlined } from '@ant-design/icons';
import { fieldErrorsOf, useApiFeedback } from '../../api/feedback';
import type { Project } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useLocale, useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { statusColor } from '../../utils/lifecycle';
import { coordinationApi, type Coordination, type LocalProjects } from './frameworksApi';
import { FrameworkStatusTag } from './frameworkUi';
import './frameworks.css';

function LocalProjectsList({ project, count }: { project: Project; count: number }) {
  const t = useT();
  const { locale } = useLocale();
  const { showError } = useApiFeedback();
  const [province, setProvince] = useState<string | undefined>();
  const [provinces, setProvinces] = useState<{ value: string; label: string }[]>([]);
  const [data, setData] = useState<LocalProjects | null>(null);
  const [loading, setLoading] = useState(true);
  const local = (text: { zh: string; en: string }) => (locale === 'zh-CN' ? text.zh : text.en);

  useEffect(() => {
    let alive = true;
    setLoading(true);
    coordinationApi
      .localProjects(project.id, province)
      .then((result) => {
        if (!alive) return;
        setData(result);
        // The choices are the provinces of the unfiltered answer.
        if (!province) setProvinces(result.regions.map((r) => ({ value: r.province.code, label: local(r.province.name) })));
      })
      .catch((error: unknown) => alive && showError(error))
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [project.id, province, showError]);

  return (
    <div className="local-projects">
      <Space wrap className="local-projects-filter">
        <Typography.Text>{t('coordination.local.count', { count })}</Typography.Text>
        <Select
          allowClear
          value={province}
          onChange={setProvince}
          options={provinces}
          placeholder={t('coordination.local.province')}
          style={{ minWidth: 160 }}
        />
      </Space>
      {loading && !data ? (
        <Spin />
      ) : (
        data?.regions.map((region) => (
          <List
            key={region.province.code}
            size="small"
            header={
              <span className="region-title">
                <Typography.Text strong>{local(region.province.name)}</Typography.Text>
                <Tag>{region.projects.length}</Tag>
              </span>
            }
            dataSource={region.projects}
            renderItem={(p) => (
              <List.Item>
                <Space direction="vertical" size={0} className="full-width">
                  <span>
                    {p.name} <Tag color={statusColor(p.status as never)}>{local(p.stateName)}</Tag>
                  </span>
                  <Typography.Text type="secondary" className="small">
                    <span className="mono">{p.code}</span> · {p.constructionUnitName}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        ))
      )}
    </div>
  );
}

export default function CoordinationCard({ project }: { project: Project }) {
  const t = useT();
  const can = useCan();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const [form] = Form.useForm<{ nationalProjectCode: string }>();
  const [data, setData] = useState<Coordination | null>(null);
  const [linking, setLinking] = useState(false);
  const [saving, setSaving] = useState(false);
  const mayEdit = can('project:update');

  const load = useCallback(async () => {
    try {
      setData(await coordinationApi.get(project.id));
    } catch (error) {
      showError(error);
    }
  }, [project.id, showError]);

  useEffect(() => {
    void load();
  }, [load, project.version]);

  const link = async () => {
    let values: { nationalProjectCode: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      setData(await coordinationApi.setNational(project.id, values.nationalProjectCode.trim()));
      void message.success(t('coordination.national.linked'));
      setLinking(false);
    } catch (error) {
      showError(error);
      const fields = fieldErrorsOf(error).map(({ errors }) => ({ name: 'nationalProjectCode' as const, errors }));
      if (fields.length > 0) form.setFields(fields);
    } finally {
      setSaving(false);
    }
  };

  const unlink = async () => {
    setSaving(true);
    try {
      setData(await coordinationApi.removeNational(project.id));
      void message.success(t('coordination.national.unlinked'));
    } catch (error) {
      showError(error);
    } finally {
      setSaving(false);
    }
  };

  if (!data) {
    return (
      <Card size="small" className="detail-card coordination-card" title={t('coordination.title')}>
        <Spin size="small" />
      </Card>
    );
  }

  const linkForm = (
    <Form form={form} layout="inline" name="nationalProject" className="coordination-form">
      <Form.Item
        name="nationalProjectCode"
        rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('coordination.national.code') }) }]}
      >
        <Input placeholder={t('coordination.national.code.placeholder')} className="mono" maxLength={40} />
      </Form.Item>
      <Space>
        <Button type="primary" onClick={() => void link()} loading={saving}>
          {t('coordination.national.link')}
        </Button>
        <Button onClick={() => setLinking(false)}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );

  return (
    <Card size="small" className="detail-card coordination-card" title={t('coordination.title')}>
      <Descriptions bordered size="small" column={1} layout={screens.sm ? 'horizontal' : 'vertical'}>
        <Descriptions.Item label={t('coordination.framework')}>
          {data.framework ? (
            <Space wrap size={[8, 4]}>
              <Link to={`/frameworks/${data.framework.id}`}>{data.framework.name}</Link>
              <FrameworkStatusTag status={data.framework.status} name={data.framework.statusName} />
              <Typography.Text type="secondary" className="small">
                {t('coordination.framework.part', { name: data.framework.organizationName })}
              </Typography.Text>
            </Space>
          ) : (
            <Typography.Text type="secondary">{t('coordination.framework.none')}</Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('coordination.national')}>
          {data.nationalProject ? (
            <Space direction="vertical" size={2}>
              <span>
                {data.nationalProject.name} <span className="mono small">{data.nationalProject.code}</span>
              </span>
              <Typography.Text type="secondary" className="small">
                {data.nationalProject.constructionUnitName} · {t('coordination.linkedAt', { time: formatDateTime(data.nationalProject.linkedAt, 'YYYY-MM-DD HH:mm') })}
              </Typography.Text>
              {mayEdit && (
                <Space wrap>
                  <Button size="small" icon={<LinkOutlined />} onClick={() => setLinking(true)}>
                    {t('coordination.national.change')}
                  </Button>
                  <Popconfirm title={t('coordination.national.unlink.confirm')} onConfirm={() => void unlink()} okText={t('common.ok')} cancelText={t('common.cancel')}>
                    <Button size="small" danger icon={<DisconnectOutlined />} loading={saving}>
                      {t('coordination.national.unlink')}
                    </Button>
                  </Popconfirm>
                </Space>
              )}
              {linking && linkForm}
            </Space>
          ) : (
            <Space direction="vertical" size={4} className="full-width">
              <Typography.Text type="secondary">{t('coordination.national.none')}</Typography.Text>
              {mayEdit && !linking && (
                <Button size="small" icon={<LinkOutlined />} onClick={() => setLinking(true)} className="coordination-link">
                  {t('coordination.national.link')}
                </Button>
              )}
              {linking && (
                <>
                  <Alert type="info" showIcon message={t('coordination.national.help')} />
                  {linkForm}
                </>
              )}
            </Space>
          )}
        </Descriptions.Item>
      </Descriptions>
      {data.localProjectCount > 0 ? (
        <Collapse
          className="local-projects-collapse"
          size="small"
          items={[{ key: 'local', label: t('coordination.local.title', { count: data.localProjectCount }), children: <LocalProjectsList project={project} count={data.localProjectCount} /> }]}
        />
      ) : (
        <Typography.Paragraph type="secondary" className="small local-projects-none">
          {t('coordination.local.none')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
