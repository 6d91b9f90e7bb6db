// One published spot check: the checklist, both pools, the seed and every SM3 digest, the result
// with its outcomes, and the re-draw: the published inputs (or changed ones) are drawn again and
// compared with the published result; when the inputs differ the page names the digest that does.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Button, Card, Collapse, Descriptions, Form, Input, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { useLocale, useT } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { OPEN_API, OpenApiError, openApi, type DigestName, type DrawComparison, type OpenSpotCheck } from './api';
import { SpotStatusTag } from './OpenPortal';

const Mono = ({ children }: { children: string | null }) => <Typography.Text code copyable={!!children} style={{ wordBreak: 'break-all' }}>{children ?? '—'}</Typography.Text>;

function Redraw({ spot }: { spot: OpenSpotCheck }) {
  const t = useT();
  const { locale } = useLocale();
  const published = { seed: spot.seed ?? '', targets: JSON.stringify(spot.targets, null, 2), inspectors: JSON.stringify(spot.inspectors, null, 2) };
  const [seed, setSeed] = useState(published.seed);
  const [targets, setTargets] = useState(published.targets);
  const [inspectors, setInspectors] = useState(published.inspectors);
  const [running, setRunning] = useState(false);
  const [comparison, setComparison] = useState<DrawComparison | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (spot.seed === null) return <Alert type="info" showIcon message={t('open.redraw.notDrawn')} />;

  const run = async () => {
    setError(null);
    setComparison(null);
    let body: { seed: string; targets?: unknown; inspectors?: unknown };
    try {
      body = { seed: seed.trim(), ...(targets !== published.targets ? { targets: JSON.parse(targets) } : {}), ...(inspectors !== published.inspectors ? { inspectors: JSON.parse(inspectors) } : {}) };
    } catch {
      setError(t('open.redraw.badJson'));
      return;
    }
    setRunning(true);
    try {
      setComparison(await openApi.redraw(locale, spot.id, body));
    } catch (e) {
      setError(e instanceof OpenApiError ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  };
  const restore = () => {
    setSeed(published.seed);
    setTargets(published.targets);
    setInspectors(published.inspectors);
    setComparison(null);
    setError(null);
  };

  const digestName = (k: DigestName) => t(`open.spot.digest.${k}` as MessageKey);
  const matched = comparison && comparison.differingDigests.length === 0 && comparison.sameResult;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('open.redraw.help')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={run}>
        <Form.Item label={t('open.redraw.seed')}>
          <Input value={seed} onChange={(e) => setSeed(e.target.value)} style={{ fontFamily: 'monospace' }} aria-label={t('open.redraw.seed')} />
        </Form.Item>
        <Collapse size="small" style={{ marginBottom: 16 }} items={[{
          key: 'pools', label: t('open.redraw.editPools'),
          children: (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Text>{t('open.redraw.targets')}</Typography.Text>
              <Input.TextArea value={targets} onChange={(e) => setTargets(e.target.value)} autoSize={{ minRows: 4, maxRows: 14 }} style={{ fontFamily: 'monospace', fontSize: 12 }} aria-label={t('open.redraw.targets')} />
              <Typography.Text>{t('open.redraw.inspectors')}</Typography.Text>
              <Input.TextArea value={inspectors} onChange={(e) => setInspectors(e.target.value)} autoSize={{ minRows: 4, maxRows: 14 }} style={{ fontFamily: 'monospace', fontSize: 12 }} aria-label={t('open.redraw.inspectors')} />
            </Space>
          ),
        }]} />
        <Space>
          <Button type="primary" htmlType="submit" icon={<ReloadOutlined />} loading={running}>{t('open.redraw.run')}</Button>
          <Button icon={<RollbackOutlined />} onClick={restore}>{t('open.redraw.restore')}</Button>
        </Space>
      </Form>
      {error && <Alert type="error" showIcon message={error} />}
      {comparison && matched && comparison.outcome && (
        <Alert type="success" showIcon data-testid="redraw-result" message={t('open.redraw.match')}
          description={t('open.redraw.matchDetail', { input: comparison.outcome.digests.input, result: comparison.outcome.resultDigest })} />
      )}
      {comparison && !matched && (
        <Alert type="error" showIcon data-testid="redraw-result"
          message={comparison.differingDigests.length > 0 ? t('open.redraw.differ') : t('open.redraw.sameInputsDifferentResult')}
          description={(
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {comparison.differingDigests.map((k) => (
                <li key={k}>{t('open.redraw.differDigest', { name: digestName(k), published: (k === 'input' ? spot.digests.input : spot.digests[k])?.slice(0, 16) ?? '—', now: comparison.outcome?.digests[k]?.slice(0, 16) ?? '—' })}</li>
              ))}
              {comparison.outcome && !comparison.sameResult && <li>{t('open.redraw.resultDiffers')}</li>}
              {comparison.problems.length > 0 && <li>{t('open.redraw.cannot', { problems: comparison.problems.map((p) => p.code + (p.ref ? `(${p.ref})` : '')).join(', ') })}</li>}
            </ul>
          )} />
      )}
      {comparison?.outcome && (
        <Table size="small" rowKey="targetRef" pagination={false} dataSource={comparison.outcome.assignments}
          columns={[{ title: t('open.spot.result.target'), dataIndex: 'targetRef' }, { title: t('open.spot.result.inspectors'), dataIndex: 'inspectorRefs', render: (v: string[]) => v.join('、') }]} />
      )}
    </Space>
  );
}

export default function SpotCheckDetail() {
  const t = useT();
  const { locale } = useLocale();
  const { id = '' } = useParams();
  const [spot, setSpot] = useState<OpenSpotCheck | null>(null);
  const [error, setError] = useState<OpenApiError | null>(null);
  useEffect(() => {
    openApi.spotCheck(locale, id).then(setSpot, (e: OpenApiError) => setError(e));
  }, [locale, id]);

  if (error) return <Result status={error.status === 404 ? '404' : 'error'} title={error.message} extra={<Link to="/open/spot-checks">{t('open.spot.back')}</Link>} />;
  if (!spot) return <Spin />;
  const target = new Map(spot.targets.map((x) => [x.ref, x]));
  const inspector = new Map(spot.inspectors.map((x) => [x.ref, x]));
  const outcomesOf = (ref: string) => spot.outcomes.filter((o) => o.targetRef === ref);
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Link to="/open/spot-checks">← {t('open.spot.back')}</Link>
      <Typography.Title level={4} style={{ margin: 0 }}>{spot.title} <SpotStatusTag status={spot.status} /></Typography.Title>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('open.spot.organizer')}>{spot.organizationName}</Descriptions.Item>
        <Descriptions.Item label={t('open.spot.rules')}>{t('open.spot.rulesText', { count: spot.rules.targetCount, per: spot.rules.inspectorsPerTarget })}</Descriptions.Item>
        <Descriptions.Item label={t('open.spot.algorithm')} span={2}><Mono>{spot.algorithm}</Mono><div><Typography.Text type="secondary">{t('open.spot.algorithmHelp')}</Typography.Text></div></Descriptions.Item>
        <Descriptions.Item label={t('open.spot.seed')} span={2}>{spot.seed ? <Mono>{spot.seed}</Mono> : t('open.spot.seedPending')}</Descriptions.Item>
        <Descriptions.Item label={t('open.spot.drawnAt')}>{spot.drawnAt ? new Date(spot.drawnAt).toLocaleString() : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('open.spot.concludedAt')}>{spot.concludedAt ? new Date(spot.concludedAt).toLocaleString() : '—'}</Descriptions.Item>
      </Descriptions>
      <Card size="small" title={t('open.spot.digests')}>
        <Descriptions size="small" column={1}>
          {(['targets', 'inspectors', 'rules', 'seed', 'input'] as const).map((k) => (
            <Descriptions.Item key={k} label={t(`open.spot.digest.${k}` as MessageKey)}><Mono>{spot.digests[k]}</Mono></Descriptions.Item>
          ))}
          <Descriptions.Item label={t('open.spot.digest.result')}><Mono>{spot.resultDigest}</Mono></Descriptions.Item>
        </Descriptions>
        <Space wrap>
          <Button icon={<DownloadOutlined />} href={`${OPEN_API}/spot-checks/${spot.id}/package`}>{t('open.spot.package')}</Button>
          <Typography.Text type="secondary" code>{t('open.spot.cli')}</Typography.Text>
        </Space>
      </Card>
      {spot.result && (
        <Card size="small" title={t('open.spot.result')}>
          {spot.status !== 'concluded' && <Alert type="info" showIcon message={t('open.spot.outcome.pending')} style={{ marginBottom: 12 }} />}
          <Table size="small" rowKey="targetRef" pagination={false} dataSource={spot.result} columns={[
            { title: t('open.spot.result.target'), dataIndex: 'targetRef', render: (ref: string) => { const x = target.get(ref); return x ? <>{ref} · {x.name}<div><Typography.Text type="secondary">{x.organizationName}</Typography.Text></div></> : ref; } },
            { title: t('open.spot.result.inspectors'), dataIndex: 'inspectorRefs', render: (refs: string[]) => refs.map((r) => <div key={r}>{r} · {inspector.get(r)?.organizationName}</div>) },
            ...(spot.status === 'concluded' ? [{ title: t('open.spot.result.outcome'), key: 'outcome', render: (_: unknown, a: { targetRef: string }) => outcomesOf(a.targetRef).map((o) => (
              <div key={o.itemCode}><Tag color={o.outcome === 'pass' ? 'green' : 'red'}>{o.itemCode} {t(`open.spot.outcome.${o.outcome}`)}</Tag>{o.notes && <Typography.Text type="danger">{o.notes}</Typography.Text>}</div>
            )) }] : []),
          ]} />
        </Card>
      )}
      <Card size="small" title={t('open.redraw.title')}><Redraw key={spot.id} spot={spot} /></Card>
      <Card size="small" title={t('open.spot.checklist')}>
        <Table size="small" rowKey="code" pagination={false} dataSource={spot.checklist}
          columns={[{ title: t('open.spot.item.code'), dataIndex: 'code' }, { title: t('open.spot.item.title'), dataIndex: 'title' }, { title: t('open.spot.item.basis'), dataIndex: 'basis' }]} />
      </Card>
      <Card size="small" title={t('open.spot.targets', { count: spot.targets.length })}>
        <Table size="small" rowKey="ref" pagination={{ pageSize: 10 }} dataSource={spot.targets} columns={[
          { title: t('open.spot.target.ref'), dataIndex: 'ref' },
          { title: t('open.spot.target.kind'), dataIndex: 'kind', render: (v: string) => t(`open.spot.target.kind.${v}` as MessageKey) },
          { title: t('open.spot.target.name'), dataIndex: 'name' },
          { title: t('open.spot.target.org'), dataIndex: 'organizationName' },
        ]} />
      </Card>
      <Card size="small" title={t('open.spot.inspectors', { count: spot.inspectors.length })}>
        <Table size="small" rowKey="ref" pagination={false} dataSource={spot.inspectors}
          columns={[{ title: t('open.spot.inspector.ref'), dataIndex: 'ref' }, { title: t('open.spot.inspector.org'), dataIndex: 'organizationName' }]} />
      </Card>
    </Space>
  );
}
