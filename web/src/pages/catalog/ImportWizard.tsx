// 批量导入向导 (SPEC §5; 第十一条 信息资源, 第十二条 政务信息系统): 1 download the template, 2 upload an
// .xlsx and choose how (all-or-nothing or the valid rows; 预检 writes nothing), 3 a progress bar
// while a large file runs as a background task, 4 the report: every bad cell by row and column,
// with the report workbook to download. Reachable from the systems list and a project's resources.
import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Drawer, Grid, List, Progress, Radio, Space, Steps, Table, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { CheckCircleOutlined, DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { download, request } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useLocale, useT } from '../../i18n';

export type ImportKind = 'systems' | 'resources';
type ImportMode = 'all-or-nothing' | 'valid-rows';

interface ImportProblem {
  row: number;
  column: string | null;
  header: string | null;
  value: string | null;
  code: string;
  message: { zh: string; en: string };
}

interface ImportReport {
  id: string;
  kind: ImportKind;
  mode: ImportMode;
  dryRun: boolean;
  fileName: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  totalRows: number | null;
  validRows: number | null;
  writtenRows: number | null;
  problemCount: number | null;
  problems: ImportProblem[];
  problemsTruncated: boolean;
  outcome: 'dry_run' | 'written' | 'partly_written' | 'nothing_written' | null;
  error: string | null;
}

interface BackgroundJob {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  error: string | null;
}

const importsApi = {
  template: (kind: ImportKind) => download(`/imports/${kind}/template`, {}, `${kind}-template.xlsx`),
  upload: (kind: ImportKind, file: File, mode: ImportMode, dryRun: boolean) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<{ job: BackgroundJob; report: ImportReport | null }>('POST', `/imports/${kind}`, { query: { mode, dryRun: String(dryRun) }, form });
  },
  job: (id: string) => request<BackgroundJob>('GET', `/jobs/${encodeURIComponent(id)}`, { background: true }),
  report: (id: string) => request<ImportReport>('GET', `/imports/${encodeURIComponent(id)}`),
  reportXlsx: (id: string) => download(`/imports/${encodeURIComponent(id)}/report.xlsx`, {}, 'import-report.xlsx'),
};

export default function ImportWizard({ kind, open, onClose, onImported }: {
  kind: ImportKind;
  open: boolean;
  onClose: () => void;
  /** Called when rows were written (the list behind reloads). */
  onImported: () => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const screens = Grid.useBreakpoint();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('all-or-nothing');
  const [busy, setBusy] = useState<'dryRun' | 'import' | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [templateLoading, setTemplateLoading] = useState(false);
  const alive = useRef(true);
  const reportRef = useRef<HTMLDivElement>(null);
  const progressRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  // The progress bar and the report appear below the form: bring them into view.
  useEffect(() => {
    if (report) reportRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [report]);
  useEffect(() => {
    if (progress === 0) progressRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [progress]);

  const reset = () => {
    setFile(null);
    setReport(null);
    setProgress(null);
    setBusy(null);
  };

  const step = report ? 3 : progress !== null ? 2 : file ? 1 : 0;

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(dryRun ? 'dryRun' : 'import');
    setReport(null);
    try {
      const started = await importsApi.upload(kind, file, mode, dryRun);
      let done = started.report;
      if (!done) {
        // A large file: follow its background task, then read the report.
        setProgress(0);
        for (;;) {
          await new Promise((r) => setTimeout(r, 1000));
          if (!alive.current) return;
          const job = await importsApi.job(started.job.id);
          setProgress(job.progress);
          if (job.status === 'succeeded' || job.status === 'failed') break;
        }
        done = await importsApi.report(started.job.id);
      }
      setProgress(null);
      setReport(done);
      if ((done.writtenRows ?? 0) > 0) {
        void message.success(t('import.writtenToast', { count: done.writtenRows ?? 0 }));
        onImported();
      }
    } catch (error) {
      setProgress(null);
      showError(error);
    } finally {
      if (alive.current) setBusy(null);
    }
  };

  const outcomeAlert = (r: ImportReport) => {
    const counts = { total: r.totalRows ?? 0, valid: r.validRows ?? 0, written: r.writtenRows ?? 0, problems: r.problemCount ?? 0 };
    if (r.status === 'failed') return <Alert type="error" showIcon message={t('import.failed')} description={r.error} />;
    switch (r.outcome) {
      case 'dry_run':
        return <Alert type={counts.problems ? 'warning' : 'success'} showIcon message={t('import.outcome.dryRun', counts)} />;
      case 'written':
        return <Alert type="success" showIcon message={t('import.outcome.written', counts)} />;
      case 'partly_written':
        return <Alert type="warning" showIcon message={t('import.outcome.partlyWritten', counts)} />;
      default:
        return <Alert type="error" showIcon message={t('import.outcome.nothingWritten', counts)} description={r.mode === 'all-or-nothing' && counts.problems ? t('import.allOrNothingHint') : undefined} />;
    }
  };

  const fileList: UploadFile[] = file ? [{ uid: 'import', name: file.name, status: 'done', size: file.size }] : [];

  return (
    <Drawer
      open={open}
      onClose={() => {
        reset();
        onClose();
      }}
      width={screens.md ? 920 : '100%'}
      title={t(kind === 'systems' ? 'import.title.systems' : 'import.title.resources')}
      destroyOnHidden
      className="import-wizard"
    >
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Steps
          size="small"
          current={step}
          direction={screens.md ? 'horizontal' : 'vertical'}
          items={[
            { title: t('import.step.template') }, { title: t('import.step.upload') },
            { title: t('import.step.progress') }, { title: t('import.step.report') },
          ]}
        />
        <div>
          <Typography.Title level={5}>1. {t('import.step.template')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t(kind === 'systems' ? 'import.templateHelp.systems' : 'import.templateHelp.resources')}</Typography.Paragraph>
          <Button
            icon={<DownloadOutlined />}
            loading={templateLoading}
            className="import-template"
            onClick={async () => {
              setTemplateLoading(true);
              try {
                await importsApi.template(kind);
              } catch (error) {
                showError(error);
              } finally {
                setTemplateLoading(false);
              }
            }}
          >
            {t('import.downloadTemplate')}
          </Button>
        </div>
        <div>
          <Typography.Title level={5}>2. {t('import.step.upload')}</Typography.Title>
          <Upload.Dragger
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            multiple={false}
            fileList={fileList}
            beforeUpload={(f) => {
              setFile(f);
              setReport(null);
              return false;
            }}
            onRemove={() => {
              setFile(null);
              setReport(null);
            }}
            className="import-upload"
          >
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p className="ant-upload-text">{t('import.dropHere')}</p>
            <p className="ant-upload-hint">{t('import.dropHint')}</p>
          </Upload.Dragger>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as ImportMode)} style={{ marginTop: 12 }} className="import-mode">
            <Space direction="vertical">
              <Radio value="all-or-nothing">{t('import.mode.allOrNothing')}</Radio>
              <Radio value="valid-rows">{t('import.mode.validRows')}</Radio>
            </Space>
          </Radio.Group>
          <Space wrap style={{ marginTop: 12, display: 'flex' }}>
            <Button icon={<CheckCircleOutlined />} disabled={!file || busy !== null} loading={busy === 'dryRun'} onClick={() => void run(true)} className="import-dry-run">
              {t('import.dryRun')}
            </Button>
            <Button type="primary" icon={<UploadOutlined />} disabled={!file || busy !== null} loading={busy === 'import'} onClick={() => void run(false)} className="import-start">
              {t('import.start')}
            </Button>
          </Space>
        </div>
        {progress !== null && (
          <div className="import-progress" ref={progressRef}>
            <Typography.Title level={5}>3. {t('import.step.progress')}</Typography.Title>
            <Progress percent={progress} status="active" />
            <Typography.Text type="secondary">{t('import.progressHelp')}</Typography.Text>
          </div>
        )}
        {report && (
          <div className="import-report" ref={reportRef}>
            <Typography.Title level={5}>4. {t('import.step.report')}</Typography.Title>
            {outcomeAlert(report)}
            {report.problems.length > 0 && (
              <>
                <Space style={{ margin: '12px 0' }} wrap>
                  <Button icon={<DownloadOutlined />} onClick={() => void importsApi.reportXlsx(report.id).catch(showError)} className="import-report-download">
                    {t('import.downloadReport')}
                  </Button>
                  {report.problemsTruncated && <Typography.Text type="warning">{t('import.truncated', { shown: report.problems.length, total: report.problemCount ?? 0 })}</Typography.Text>}
                </Space>
                {!screens.md ? (
                  <List<ImportProblem>
                    size="small"
                    bordered
                    dataSource={report.problems}
                    pagination={report.problems.length > 20 ? { pageSize: 20, size: 'small' } : false}
                    renderItem={(p) => (
                      <List.Item>
                        <List.Item.Meta
                          title={`${p.row > 0 ? t('import.rowN', { row: p.row }) : t('import.wholeFile')}${p.column || p.header ? ` · ${[p.column, p.header].filter(Boolean).join(' ')}` : ''}${p.value ? `：${p.value}` : ''}`}
                          description={<Typography.Text type="danger">{locale === 'zh-CN' ? p.message.zh : p.message.en}</Typography.Text>}
                        />
                      </List.Item>
                    )}
                  />
                ) : (
                <Table<ImportProblem>
                  size="small"
                  rowKey={(p) => `${p.row}-${p.column ?? ''}-${p.header ?? ''}-${p.code}`}
                  dataSource={report.problems}
                  pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
                  scroll={{ x: 640 }}
                  columns={[
                    { title: t('import.col.row'), dataIndex: 'row', width: 64, render: (row: number) => (row > 0 ? row : t('import.wholeFile')) },
                    { title: t('import.col.column'), width: 150, render: (_, p) => [p.column, p.header].filter(Boolean).join(' ') || '—' },
                    { title: t('import.col.value'), dataIndex: 'value', width: 160, ellipsis: true, render: (v: string | null) => v ?? '—' },
                    { title: t('import.col.reason'), render: (_, p) => (locale === 'zh-CN' ? p.message.zh : p.message.en) },
                  ]}
                />
                )}
              </>
            )}
          </div>
        )}
      </Space>
    </Drawer>
  );
}
