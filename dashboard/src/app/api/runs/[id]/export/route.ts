// Downloads of a run's report: GET /api/runs/<id>/export?format=html|csv|json[&table=endpoints].
// The same session as every page, or an API token (viewers may export); the files come from load-tests' exporters.
import { isRunNotFoundError } from 'load-tests/model';
import {
  queryRunReport,
  REPORT_TABLES,
  type RunReport,
  reportCsv,
  reportHtml,
  reportJson,
} from 'load-tests/results';
import { z } from 'zod';
import { authenticateRequest } from '../../../../../server/auth/request-auth.ts';
import { runIdSchema } from '../../../../../server/routers/reports.ts';
import { getServices } from '../../../../../server/services.ts';

const querySchema = z.object({
  format: z.enum(['html', 'csv', 'json'], { message: 'format must be html, csv or json' }),
  table: z
    .enum(REPORT_TABLES, { message: `table must be one of ${REPORT_TABLES.join(', ')}` })
    .default('endpoints'),
});

const text = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const services = getServices();
  const rawId = (await ctx.params).id;
  const auth = await authenticateRequest(
    services,
    req.headers,
    `GET /api/runs/${rawId.slice(0, 100)}/export`,
  );
  if (auth.type === 'refused') return text(401, auth.reason);
  if (auth.type === 'anonymous')
    return text(401, 'sign in first: exports need a dashboard session or an API token');

  const id = runIdSchema.safeParse(rawId);
  if (!id.success) return text(400, id.error.issues[0]?.message ?? 'bad run id');
  const url = new URL(req.url);
  const query = querySchema.safeParse({
    format: url.searchParams.get('format') ?? undefined,
    table: url.searchParams.get('table') ?? undefined,
  });
  if (!query.success) return text(400, query.error.issues.map((i) => i.message).join('; '));

  let report: RunReport;
  try {
    report = await queryRunReport(services.store.client, id.data, {
      serverService: services.config.targetServiceName,
    });
  } catch (error) {
    if (isRunNotFoundError(error)) return text(404, error.message);
    console.error(`dashboard: export of run ${id.data} failed`, error);
    return text(500, `could not read run ${id.data} from the store: ${(error as Error).message}`);
  }

  const { format, table } = query.data;
  const [body, type, name] =
    format === 'html'
      ? [reportHtml(report), 'text/html; charset=utf-8', `${id.data}.html`]
      : format === 'csv'
        ? [reportCsv(report, table), 'text/csv; charset=utf-8', `${id.data}-${table}.csv`]
        : [reportJson(report), 'application/json; charset=utf-8', `${id.data}.json`];
  return new Response(body, {
    headers: {
      'content-type': type,
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'private, no-store',
      // The HTML report is self-contained: it needs no script and may load nothing.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      'x-content-type-options': 'nosniff',
    },
  });
}
