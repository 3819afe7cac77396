// Profile pictures: a signed-in user uploads one JPEG, PNG or WebP image (the raw bytes as the request
// body, ≤ 2 MiB) under the "uploads" rate-limit class; anyone can fetch it back, with an ETag so
// browsers revalidate cheaply, and cached for good under the versioned URL the upload answers with.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireSession } from '../auth/request-auth.ts';
import { type ErrorBody, parseInput } from '../http/errors.ts';
import { AVATAR_MAX_BYTES } from '../uploads/avatar-sql.ts';
import type { Avatars } from '../uploads/avatars.ts';
import { IMAGE_TYPES, mediaTypeOf, sniffImageType } from '../uploads/image-type.ts';
import type { UploadMetrics } from '../uploads/upload-metrics.ts';
import { carIdParamsSchema } from './car-queries.ts';

export const AVATAR_UPLOAD_PATH = '/api/uploads/avatar';
/** Media types a client may declare; the bytes decide which image it really is. */
export const AVATAR_BODY_TYPES = [...IMAGE_TYPES, 'application/octet-stream'] as const;

export const avatarParamsSchema = z.strictObject({ userId: carIdParamsSchema.shape.id });
export const avatarQuerySchema = z.strictObject({
  v: z
    .string()
    .regex(/^[0-9a-f]{16}$/, 'must be the version from the upload response (16 hex digits)')
    .optional(),
});

export const avatarUrl = (userId: number, etag: string) => `/api/users/${userId}/avatar?v=${etag}`;

/** The entity tags of an If-None-Match header (weak ones compare equal for GET, RFC 9110 §13.1.2). */
export function etagsOf(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((tag) =>
      tag
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .filter((tag) => tag !== '')
    .slice(0, 20);
}

const fail = (reply: FastifyReply, status: number, error: string) =>
  reply.code(status).send({ error } satisfies ErrorBody);

export async function registerAvatarRoutes(
  api: FastifyInstance,
  avatars: Avatars,
  metrics: UploadMetrics,
): Promise<void> {
  // Own scope: the raw-body parser applies to these routes only.
  await api.register(async (scope) => {
    scope.addContentTypeParser([...AVATAR_BODY_TYPES], { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, body);
    });

    // Refuse anonymous uploads before reading up to 2 MiB of body.
    const signedIn = async (request: FastifyRequest, reply: FastifyReply) => {
      const caller = requireSession(request, reply);
      if (!('session' in caller)) return caller;
    };

    scope.put(
      AVATAR_UPLOAD_PATH,
      {
        bodyLimit: AVATAR_MAX_BYTES,
        onRequest: signedIn,
        onError: async (_request, _reply, error) => {
          if (error.statusCode === 413) metrics.rejected('too_large');
          if (error.statusCode === 415) metrics.rejected('not_an_image');
        },
      },
      async (request, reply) => {
        const caller = requireSession(request, reply);
        if (!('session' in caller)) return caller;
        const body = request.body;
        if (
          body === undefined ||
          body === null ||
          body === '' ||
          (Buffer.isBuffer(body) && body.length === 0)
        ) {
          metrics.rejected('empty');
          return fail(reply, 400, 'the body is empty: send the image bytes');
        }
        // Read by another of the API's parsers (JSON, text): not an image upload.
        if (!Buffer.isBuffer(body)) {
          metrics.rejected('not_an_image');
          return fail(reply, 415, `send the image bytes as one of ${AVATAR_BODY_TYPES.join(', ')}`);
        }
        const contentType = sniffImageType(body);
        if (contentType === undefined) {
          metrics.rejected('not_an_image');
          return fail(reply, 415, 'the body is not a JPEG, PNG or WebP image');
        }
        const declared = mediaTypeOf(request.headers['content-type']);
        if (declared !== 'application/octet-stream' && declared !== contentType) {
          metrics.rejected('type_mismatch');
          return fail(reply, 415, `the body is a ${contentType} image but Content-Type says ${declared}`);
        }
        const userId = caller.session.user.id;
        const stored = await avatars.put(userId, contentType, body, request.otelContext);
        metrics.stored(contentType, body.length);
        const url = avatarUrl(userId, stored.etag);
        return reply
          .code(stored.created ? 201 : 200)
          .header('location', url)
          .send({
            userId,
            contentType,
            bytes: body.length,
            etag: stored.etag,
            url,
            updatedAt: stored.updatedAt,
          });
      },
    );
  });

  api.delete(AVATAR_UPLOAD_PATH, async (request, reply) => {
    const caller = requireSession(request, reply);
    if (!('session' in caller)) return caller;
    if (!(await avatars.remove(caller.session.user.id, request.otelContext))) {
      return fail(reply, 404, 'you have no profile picture');
    }
    return reply.code(204).send();
  });

  api.get('/api/users/:userId/avatar', async (request, reply) => {
    const { userId } = parseInput(avatarParamsSchema, request.params, 'user id');
    const { v } = parseInput(avatarQuerySchema, request.query, 'query');
    const avatar = await avatars.get(userId, etagsOf(request.headers['if-none-match']), request.otelContext);
    if (avatar === undefined) return fail(reply, 404, `user ${userId} has no profile picture`);
    reply
      .header('etag', `"${avatar.etag}"`)
      .header('last-modified', avatar.updatedAt.toUTCString())
      // The versioned URL names these exact bytes; the plain one may change at any upload.
      .header('cache-control', v === avatar.etag ? 'public, max-age=31536000, immutable' : 'public, no-cache')
      // User content: never sniffed into something executable, never allowed to load anything.
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'");
    if (avatar.image === undefined) return reply.code(304).send();
    return reply.type(avatar.contentType).send(avatar.image);
  });
}
