// OpenAPI descriptions of the profile-picture routes (routes/avatars.ts), built from the schemas and
// constants those routes use.
import { z } from 'zod';
import {
  AVATAR_BODY_TYPES,
  AVATAR_UPLOAD_PATH,
  avatarParamsSchema,
  avatarQuerySchema,
} from '../../routes/avatars.ts';
import { AVATAR_MAX_BYTES } from '../../uploads/avatar-sql.ts';
import { IMAGE_TYPES } from '../../uploads/image-type.ts';
import type { RouteDoc } from '../registry.ts';

const storedAvatarSchema = z.object({
  userId: z.number().int(),
  contentType: z.enum(IMAGE_TYPES),
  bytes: z.number().int(),
  etag: z.string(),
  url: z.string().describe('The versioned URL of this image: cacheable for good.'),
  updatedAt: z.iso.datetime(),
});

const MAX_MIB = AVATAR_MAX_BYTES / 1024 / 1024;

export const UPLOAD_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'PUT',
    path: AVATAR_UPLOAD_PATH,
    tag: 'uploads',
    summary: `Upload the signed-in user's profile picture (JPEG, PNG or WebP, ≤ ${MAX_MIB} MiB), replacing any earlier one. Rate-limit class "uploads" (10 an hour per user by default).`,
    rawBody: {
      mediaTypes: AVATAR_BODY_TYPES,
      description: 'The image bytes. The type is read from the bytes; a declared image type must agree.',
    },
    auth: 'required',
    responses: {
      200: { description: 'Replaced the previous picture.', schema: storedAvatarSchema },
      201: {
        description: 'Stored.',
        schema: storedAvatarSchema,
        headers: { Location: 'The versioned URL of the picture.' },
      },
      413: { description: `Larger than ${MAX_MIB} MiB.` },
      415: { description: 'Not a JPEG, PNG or WebP image, or not the type the Content-Type names.' },
      429: { description: 'Too many uploads: wait Retry-After seconds.' },
    },
  },
  {
    method: 'DELETE',
    path: AVATAR_UPLOAD_PATH,
    tag: 'uploads',
    summary: "Remove the signed-in user's profile picture.",
    auth: 'required',
    responses: {
      204: { description: 'Removed.' },
      404: { description: 'There was none.' },
    },
  },
  {
    method: 'GET',
    path: '/api/users/:userId/avatar',
    tag: 'uploads',
    summary:
      "A user's profile picture. Revalidate with If-None-Match; under the versioned URL (?v=) it is immutable.",
    params: avatarParamsSchema,
    query: avatarQuerySchema,
    responses: {
      200: {
        description: 'The image.',
        binary: IMAGE_TYPES,
        headers: {
          ETag: 'The version of the image.',
          'Cache-Control':
            '`public, max-age=31536000, immutable` when `v` is the current version, else `public, no-cache`.',
          'Last-Modified': 'When it was uploaded.',
        },
      },
      304: { description: 'Not modified: the If-None-Match version is current.' },
      404: { description: 'The user has no profile picture.' },
    },
  },
];
