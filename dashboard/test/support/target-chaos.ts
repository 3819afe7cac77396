// The target's chaos settings through its admin API, as the Chaos page sets them: PUT replaces the
// whole configuration (a field left out is back to no chaos), DELETE lifts it all.
export async function setTargetChaos(
  targetUrl: string,
  adminToken: string,
  settings: object | null,
): Promise<number> {
  const res = await fetch(`${targetUrl}/admin/chaos`, {
    method: settings ? 'PUT' : 'DELETE',
    headers: {
      authorization: `Bearer ${adminToken}`,
      ...(settings ? { 'content-type': 'application/json' } : {}),
    },
    ...(settings ? { body: JSON.stringify(settings) } : {}),
  });
  await res.arrayBuffer();
  return res.status;
}
