import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Tag, Tooltip, TreeSelect } from 'antd';
import { DownloadOutlined, EditOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useOrganizationList } from '../../api/useReference';
import { PROJECT_KINDS, PROJECT_STAGES, PROJECT_TRACKS, type Project, type ProjectKind, type ProjectQuery, type ProjectStage, type ProjectTrack } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import { groupThousands, WAN_PATTERN } from '../../utils/money';
import { orgTreeSelectData } from '../../utils/orgTree';
import AmountRangeInput, { type AmountRange } from '../../components/AmountRangeInput';
import StageTag from '../../components/StageTag';

interface ProjectSearch {
  q?: string;
  track?: ProjectTrack;
  kind?: ProjectKind;
  stage?: ProjectStage;
  year?: number;
  organizationId?: string;
  investment?: AmountRange;
}

export default function ProjectList() {
  const t = useT();
  const can = useCan();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const actionRef = useRef<ActionType>(null);
  const lastQuery = useRef<ProjectQuery>({});
  const [exporting, setExporting] = useState(false);
  const organizations = useOrganizationList(can('system:org:read'));
  const orgTree = useMemo(() => orgTreeSelectData(organizations.items), [organizations.items]);
  const canUpdate = can('project:update');

  const exportProjects = async () => {
    setExporting(true);
    try {
      await api.projects.export(lastQuery.current);
      void message.success(t('common.exported'));
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  const columns: ProColumns<Project>[] = [
    {
      title: t('project.keyword'),
      dataIndex: 'q',
      hideInTable: true,
      fieldProps: { placeholder: t('project.keyword.placeholder') },
    },
    {
      title: t('project.track'),
      dataIndex: 'track',
      hideInTable: true,
      valueType: 'select',
      fieldProps: { options: PROJECT_TRACKS.map((track) => ({ value: track, label: t(`project.track.${track}`) })) },
    },
    {
      title: t('project.kind'),
      dataIndex: 'kind',
      hideInTable: true,
      valueType: 'select',
      fieldProps: { options: PROJECT_KINDS.map((kind) => ({ value: kind, label: t(`project.kind.${kind}`) })) },
    },
    {
      title: t('project.stage'),
      dataIndex: 'stage',
      hideInTable: true,
      valueType: 'select',
      fieldProps: { options: PROJECT_STAGES.map((stage) => ({ value: stage, label: t(`lifecycle.stage.${stage}`) })) },
    },
    {
      title: t('project.filter.year'),
      dataIndex: 'year',
      hideInTable: true,
      valueType: 'digit',
      tooltip: t('project.filter.year.help'),
      fieldProps: { min: 2000, max: 2100, precision: 0, placeholder: t('project.filter.year.placeholder') },
    },
    {
      title: t('project.filter.investment'),
      dataIndex: 'investment',
      hideInTable: true,
      formItemProps: {
        rules: [
          {
            validator: async (_: unknown, value: AmountRange | undefined) => {
              const [min, max] = value ?? [undefined, undefined];
              if ((min && !WAN_PATTERN.test(min)) || (max && !WAN_PATTERN.test(max))) throw new Error(t('project.amount.invalid'));
            },
          },
        ],
      },
      renderFormItem: () => <AmountRangeInput />,
    },
    {
      title: t('project.filter.organization'),
      dataIndex: 'organizationId',
      hideInTable: true,
      hideInSearch: orgTree.length === 0,
      renderFormItem: () => (
        <TreeSelect
          treeData={orgTree}
          allowClear
          showSearch
          treeNodeFilterProp="title"
          treeDefaultExpandAll
          placeholder={t('common.pleaseSelect', { field: t('project.filter.organization') })}
        />
      ),
    },
    {
      title: t('project.code'),
      dataIndex: 'code',
      search: false,
      width: 186,
      render: (_, project) => <span className="mono nowrap project-code">{project.code}</span>,
    },
    {
      title: t('project.name'),
      dataIndex: 'name',
      search: false,
      width: 176,
      render: (_, project) => (
        <Link to={`/projects/${project.id}`} className="project-name-link">
          {project.name}
        </Link>
      ),
    },
    {
      title: t('project.constructionUnit'),
      dataIndex: 'constructionUnitName',
      search: false,
      width: 112,
      ellipsis: true,
    },
    {
      title: t('project.approvalDepartment'),
      dataIndex: 'approvalDepartmentName',
      search: false,
      width: 112,
      ellipsis: true,
    },
    {
      title: t('project.currentStage'),
      dataIndex: 'lifecycle',
      search: false,
      width: 176,
      render: (_, project) => <StageTag lifecycle={project.lifecycle} />,
    },
    {
      title: t('project.totalInvestment.column'),
      dataIndex: 'totalInvestment',
      search: false,
      width: 112,
      align: 'right',
      render: (_, project) => <span className="amount">{groupThousands(project.totalInvestment)}</span>,
    },
    {
      title: t('project.constructionPeriod.column'),
      dataIndex: 'constructionStart',
      search: false,
      width: 100,
      render: (_, project) => (
        <span className="period-cell">
          <span>{project.constructionStart}</span>
          <span>{t('project.period.to', { end: project.constructionEnd })}</span>
        </span>
      ),
    },
    {
      title: t('project.inPlan'),
      dataIndex: 'inPlan',
      search: false,
      width: 72,
      align: 'center',
      render: (_, project) => (project.inPlan ? <Tag color="blue">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>),
    },
    {
      title: t('common.actions'),
      valueType: 'option',
      fixed: 'right',
      width: 70,
      render: (_, project) => {
        const actions = [
          <Tooltip key="view" title={t('common.view')}>
            <Link to={`/projects/${project.id}`} aria-label={t('common.view')}>
              <EyeOutlined />
            </Link>
          </Tooltip>,
        ];
        if (canUpdate && project.lifecycle.editable) {
          actions.push(
            <Tooltip key="edit" title={t('common.edit')}>
              <Link to={`/projects/${project.id}/edit`} aria-label={t('common.edit')}>
                <EditOutlined />
              </Link>
            </Tooltip>,
          );
        }
        return actions;
      },
    },
  ];

  return (
    <PageContainer>
      <ProTable<Project, ProjectSearch>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        headerTitle={t('project.list.title')}
        scroll={{ x: 1100 }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => t('common.total', { total }) }}
        request={async (params) => {
          const [minInvestment, maxInvestment] = params.investment ?? [undefined, undefined];
          const query: ProjectQuery = {
            q: params.q?.trim() || undefined,
            track: params.track || undefined,
            kind: params.kind || undefined,
            stage: params.stage || undefined,
            year: typeof params.year === 'number' ? params.year : undefined,
            organizationId: params.organizationId || undefined,
            minInvestment: minInvestment || undefined,
            maxInvestment: maxInvestment || undefined,
          };
          lastQuery.current = query;
          try {
            const result = await api.projects.list({ ...query, page: params.current ?? 1, pageSize: params.pageSize ?? 20 });
            return { data: result.items, total: result.total, success: true };
          } catch (error) {
            showError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        toolBarRender={() => [
          <Tooltip key="export" title={t('project.export.help')}>
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportProjects()}>
              {exporting ? t('common.exporting') : t('common.export')}
            </Button>
          </Tooltip>,
          can('project:create') ? (
            <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => navigate('/projects/new')}>
              {t('project.create')}
            </Button>
          ) : null,
        ]}
      />
    </PageContainer>
  );
}
