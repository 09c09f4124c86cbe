import { apiHandler, defaulted } from './lib/api-handler';
import { AuditLog } from './lib/audit-log';
import { createDocumentClient } from './lib/aws-clients';
import { environments } from './environments';

const env = environments.listAudit.read();
const audit = new AuditLog(createDocumentClient(), env.AUDIT_TABLE);

export const handler = apiHandler(
  'listAudit',
  { allowedOrigin: env.ALLOWED_ORIGIN },
  async ({ query }) => ({
    statusCode: 200,
    body: { entries: await audit.newest(defaulted(query.limit, 'limit')) },
  }),
);
