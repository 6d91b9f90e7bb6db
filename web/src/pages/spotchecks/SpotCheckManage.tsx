// One spot check for its organizers: the published pools (with who the inspectors are, which the
// public sees only by number, I-63), the draw (once, from an announced seed or 32 random bytes),
// the outcome of every checklist item for every drawn target, and publication (一公开). The public
// page /open/spot-checks/:id re-draws it from the published inputs.
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Descriptions, Input, Result, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { CheckCircleOutlined, ExportOutlined, SaveOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import type { SpotCheckFull } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { SpotStatusTag } from '../../open/OpenPortal';
import { formatDateTime } from '../../utils/format';

type Draft = Map<string, { outcome?: 'pass' | 'fail'; notes: string }>;
const key = (targetRef: string, itemCode: string) => `${targetRef}|${itemCode}`;
const Mono = ({ children }: { children: string | null }) => <Typography.Text code copyable={!!children} style={{ wordBreak: 'break-all' }}>{children ?? '—'}</Typography.Text>;

export default function SpotCheckManage() {
  const t = useT();
  const can = useCan();
  const { id = '' } = useParams();
  const { message, modal } = App.useApp();
  const { showError } = useApiFeedback();
  const [spot, setSpot] = useState<SpotCheckFull | null>(null);
  const [missing, setMissing] = useState(false);
  const [seed, setSeed] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(new Map());
  const manage = can('spotcheck:manage');

  const load = useCallback((s: SpotCheckFull) => {
    setSpot(s);
    setDraft(new Map(s.outcomes.map((o) => [key(o.targetRef, o.itemCode), { outcome: o.outcome, notes: o.notes }])));
  }, []);
  useEffect(() => {
    api.spotChecks.get(id).then(load, (e: unknown) => (e instanceof ApiError && e.status === 404 ? setMissing(true) : showError(e)));
  }, [id, load, showError]);

  const act = async (name: string, fn: () => Promise<SpotCheckFull>, done: MessageKey) => {
    setBusy(name);
    try {
      load(await fn());
      void message.success(t(done));
    } catch (error) {
      showError(error);
    } finally {
      setBusy(null);
    }
  };

  if (missing) return <Result status="404" title={t('spot.notFound')} extra={<Link to="/spot-checks">{t('open.spot.back')}</Link>} />;
  if (!spot) return <Spin />;
  const target = new Map(spot.targets.map((x) => [x.ref, x]));
  const inspector = new Map(spot.inspectors.map((x) => [x.ref, x]));
  const who = (ref: string) => spot.inspectorUsers[ref]?.displayName ?? '';
  const seedOk = seed.trim() === '' || /^[0-9a-f]{64}$/.test(seed.trim());

  const draw = () => modal.confirm({
    title: t('spot.draw'), content: t('spot.draw.confirm'), okText: t('common.ok'), cancelText: t('common.cancel'),
    onOk: () => act('draw', () => api.spotChecks.draw(spot.id, seed.trim() || undefined), 'spot.draw.done'),
  });
  const recorded = [...draft.entries()].filter(([, v]) => v.outcome);
  const saveOutcomes = () => act('outcomes', () => api.spotChecks.outcomes(spot.id, recorded.map(([k, v]) => {
    const [targetRef, itemCode] = k.split('|') as [string, string];
    return { targetRef, itemCode, outcome: v.outcome!, notes: v.notes };
  })), 'spot.outcomes.saved');
  const conclude = () => modal.confirm({
    title: t('spot.conclude'), content: t('spot.conclude.confirm'), okText: t('common.ok'), cancelText: t('common.cancel'),
    onOk: () => act('conclude', () => api.spotChecks.conclude(spot.id), 'spot.conclude.done'),
  });
  const setCell = (k: string, patch: Partial<{ outcome: 'pass' | 'fail'; notes: string }>) =>
    setDraft((d) => new Map(d).set(k, { notes: '', ...d.get(k), ...patch }));
  const editable = manage && spot.status === 'drawn';

  return (
    <PageContainer
      title={<Space>{spot.title}<SpotStatusTag status={spot.status} /></Space>}
      onBack={() => history.back()}
      extra={[<Button key="public" icon={<ExportOutlined />} href={`/open/spot-checks/${spot.id}`} target="_blank">{t('spot.publicPage')}</Button>]}
    >
      <Space direction="vertical" size="large" className="full-width" style={{ width: '100%' }}>
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('open.spot.organizer')}>{spot.organizationName}</Descriptions.Item>
          <Descriptions.Item label={t('open.spot.rules')}>{t('open.spot.rulesText', { count: spot.rules.targetCount, per: spot.rules.inspectorsPerTarget })}</Descriptions.Item>
          <Descriptions.Item label={t('open.spot.algorithm')} span={2}><Mono>{spot.algorithm}</Mono></Descriptions.Item>
          <Descriptions.Item label={t('open.spot.seed')} span={2}>{spot.seed ? <Mono>{spot.seed}</Mono> : t('open.spot.seedPending')}</Descriptions.Item>
          <Descriptions.Item label={t('open.spot.drawnAt')}>{formatDateTime(spot.drawnAt)}</Descriptions.Item>
          <Descriptions.Item label={t('open.spot.concludedAt')}>{formatDateTime(spot.concludedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('open.spot.digest.input')} span={2}><Mono>{spot.digests.input}</Mono></Descriptions.Item>
          <Descriptions.Item label={t('open.spot.digest.result')} span={2}><Mono>{spot.resultDigest}</Mono></Descriptions.Item>
        </Descriptions>

        {spot.status === 'pooled' && manage && (
          <Card size="small" title={t('spot.draw')}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Text type="secondary">{t('spot.draw.help')}</Typography.Text>
              <Input value={seed} onChange={(e) => setSeed(e.target.value)} placeholder={t('spot.draw.seed')} aria-label={t('spot.draw.seed')}
                status={seedOk ? undefined : 'error'} style={{ fontFamily: 'monospace' }} />
              <Button type="primary" icon={<ThunderboltOutlined />} disabled={!seedOk} loading={busy === 'draw'} onClick={draw} data-testid="spot-draw">{t('spot.draw')}</Button>
            </Space>
          </Card>
        )}

        {spot.result && (
          <Card size="small" title={t('open.spot.result')} extra={editable && (
            <Space>
              <Typography.Text type="secondary">{t('spot.outcomes.progress', { done: recorded.length, total: spot.result.length * spot.checklist.length })}</Typography.Text>
              <Button icon={<SaveOutlined />} disabled={recorded.length === 0} loading={busy === 'outcomes'} onClick={() => void saveOutcomes()} data-testid="spot-save-outcomes">{t('spot.outcomes.save')}</Button>
              <Button type="primary" icon={<CheckCircleOutlined />} loading={busy === 'conclude'} onClick={conclude} data-testid="spot-conclude">{t('spot.conclude')}</Button>
            </Space>
          )}>
            <Table size="small" rowKey="targetRef" pagination={false} dataSource={spot.result} scroll={{ x: 900 }} columns={[
              { title: t('open.spot.result.target'), dataIndex: 'targetRef', width: 260, render: (ref: string) => { const x = target.get(ref); return x ? <>{ref} · {x.name}<div><Typography.Text type="secondary">{x.organizationName}</Typography.Text></div></> : ref; } },
              { title: t('open.spot.result.inspectors'), dataIndex: 'inspectorRefs', width: 240, render: (refs: string[]) => refs.map((r) => <div key={r}>{r} · {who(r)}<Typography.Text type="secondary">（{inspector.get(r)?.organizationName}）</Typography.Text></div>) },
              {
                title: t('open.spot.result.outcome'), key: 'outcome', render: (_: unknown, a: { targetRef: string }) => spot.checklist.map((item) => {
                  const k = key(a.targetRef, item.code);
                  const cell = draft.get(k);
                  if (!editable) {
                    return cell?.outcome
                      ? <div key={item.code}><Tag color={cell.outcome === 'pass' ? 'green' : 'red'}>{item.code} {t(`open.spot.outcome.${cell.outcome}`)}</Tag>{cell.notes && <Typography.Text type="danger">{cell.notes}</Typography.Text>}</div>
                      : <div key={item.code}><Tag>{item.code} —</Tag></div>;
                  }
                  return (
                    <Space key={item.code} style={{ display: 'flex', marginBottom: 4 }} wrap>
                      <Typography.Text style={{ width: 110, display: 'inline-block' }}>{item.code} {item.title}</Typography.Text>
                      <Select size="small" style={{ width: 100 }} value={cell?.outcome} placeholder="—" aria-label={`${a.targetRef} ${item.code}`}
                        options={[{ value: 'pass', label: t('open.spot.outcome.pass') }, { value: 'fail', label: t('open.spot.outcome.fail') }]}
                        onChange={(v: 'pass' | 'fail') => setCell(k, { outcome: v })} />
                      {cell?.outcome === 'fail' && <Input size="small" style={{ width: 220 }} placeholder={t('spot.outcomes.notes')} value={cell.notes} onChange={(e) => setCell(k, { notes: e.target.value })} />}
                    </Space>
                  );
                }),
              },
            ]} />
            {editable && <Button size="small" style={{ marginTop: 8 }} onClick={() => setDraft((d) => {
              const next = new Map(d);
              for (const a of spot.result ?? []) for (const item of spot.checklist) if (!next.get(key(a.targetRef, item.code))?.outcome) next.set(key(a.targetRef, item.code), { outcome: 'pass', notes: '' });
              return next;
            })} data-testid="spot-fill-pass">{t('spot.outcomes.fillPass')}</Button>}
          </Card>
        )}
        {spot.status === 'concluded' && <Alert type="success" showIcon message={t('spot.concluded')} />}

        <Card size="small" title={t('open.spot.checklist')}>
          <Table size="small" rowKey="code" pagination={false} dataSource={spot.checklist}
            columns={[{ title: t('open.spot.item.code'), dataIndex: 'code' }, { title: t('open.spot.item.title'), dataIndex: 'title' }, { title: t('open.spot.item.basis'), dataIndex: 'basis' }]} />
        </Card>
        <Card size="small" title={t('open.spot.targets', { count: spot.targets.length })} extra={<Mono>{spot.digests.targets}</Mono>}>
          <Table size="small" rowKey="ref" pagination={{ pageSize: 10 }} dataSource={spot.targets} scroll={{ x: 700 }} columns={[
            { title: t('open.spot.target.ref'), dataIndex: 'ref', width: 80 },
            { title: t('open.spot.target.kind'), dataIndex: 'kind', width: 80, render: (v: string) => t(`open.spot.target.kind.${v}` as MessageKey) },
            { title: t('open.spot.target.name'), dataIndex: 'name' },
            { title: t('open.spot.target.org'), dataIndex: 'organizationName' },
          ]} />
        </Card>
        <Card size="small" title={t('spot.inspectorPool.count', { count: spot.inspectors.length })} extra={<Mono>{spot.digests.inspectors}</Mono>}>
          <Table size="small" rowKey="ref" pagination={false} dataSource={spot.inspectors} columns={[
            { title: t('open.spot.inspector.ref'), dataIndex: 'ref', width: 120 },
            { title: t('spot.inspector.name'), key: 'name', render: (_: unknown, j: { ref: string }) => who(j.ref) },
            { title: t('open.spot.inspector.org'), dataIndex: 'organizationName' },
          ]} />
        </Card>
      </Space>
    </PageContainer>
  );
}
