import { PageContainer } from '@ant-design/pro-components';
import AuditLogTable from '../../components/AuditLogTable';

export default function LoginLogs() {
  return (
    <PageContainer>
      <AuditLogTable category="login" />
    </PageContainer>
  );
}
