// The registry holding every route description of this app.

import { type ApiDocs, createApiDocs } from './registry.ts';
import { ACCOUNT_ROUTE_DOCS } from './routes/account-docs.ts';
import { ADMIN_ROUTE_DOCS } from './routes/admin-docs.ts';
import { CAR_ROUTE_DOCS } from './routes/car-docs.ts';
import { UPLOAD_ROUTE_DOCS } from './routes/upload-docs.ts';

export function createAppApiDocs(): ApiDocs {
  const docs = createApiDocs();
  docs.describe(...CAR_ROUTE_DOCS, ...ACCOUNT_ROUTE_DOCS, ...UPLOAD_ROUTE_DOCS, ...ADMIN_ROUTE_DOCS);
  return docs;
}
