import { PageContainer } from '@ant-design/pro-components';
import AuditLogTable from '../../components/AuditLogTable';

export default function OperationLogs() {
  return (
    <PageContainer>
      <AuditLogTable category="operation" />
    </PageContainer>
  );
}
