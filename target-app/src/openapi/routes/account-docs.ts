// OpenAPI descriptions of the account and favourites routes (routes/auth.ts, routes/favourites.ts),
// built from the schemas those routes validate with.
import { z } from 'zod';
import {
  loginBodySchema,
  logoutBodySchema,
  refreshBodySchema,
  registerBodySchema,
  verifyQuerySchema,
} from '../../routes/auth.ts';
import {
  addBodySchema as favouriteBodySchema,
  removeParamsSchema as favouriteParamsSchema,
  listQuerySchema as favouritesQuerySchema,
} from '../../routes/favourites.ts';
import type { RouteDoc } from '../registry.ts';
import {
  favouriteChangeSchema,
  favouritesSchema,
  registrationSchema,
  tokenPairSchema,
  userSchema,
} from './response-schemas.ts';

export const ACCOUNT_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'POST',
    path: '/api/auth/register',
    tag: 'auth',
    summary:
      'Create an account; the verification e-mail is sent in the background. A registered address gets the same answer (its owner is mailed instead).',
    body: registerBodySchema,
    responses: {
      201: {
        description:
          'Accepted: a confirmation mail (new address) or a note to the owner (taken address) is queued.',
        schema: registrationSchema,
      },
    },
  },
  {
    method: 'GET',
    path: '/api/auth/verify',
    tag: 'auth',
    summary: 'Confirm an e-mail address with the token from the verification e-mail.',
    query: verifyQuerySchema,
    responses: { 200: { description: 'Verified.', schema: z.object({ verified: z.literal(true) }) } },
  },
  {
    method: 'POST',
    path: '/api/auth/login',
    tag: 'auth',
    summary: 'Sign in: an access token (JWT) and a refresh token.',
    body: loginBodySchema,
    responses: {
      200: { description: 'Signed in.', schema: tokenPairSchema },
      401: { description: 'Wrong e-mail or password (which one is not revealed).' },
    },
  },
  {
    method: 'POST',
    path: '/api/auth/refresh',
    tag: 'auth',
    summary: 'Exchange a refresh token for a new pair (the old refresh token is spent).',
    body: refreshBodySchema,
    responses: {
      200: { description: 'A new token pair.', schema: tokenPairSchema },
      401: { description: 'Refresh token expired, revoked or invalid.' },
    },
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    tag: 'auth',
    summary: 'Revoke the access token (and the refresh token when given).',
    body: logoutBodySchema,
    auth: 'required',
    responses: { 204: { description: 'Signed out.' } },
  },
  {
    method: 'GET',
    path: '/api/auth/me',
    tag: 'auth',
    summary: 'The signed-in user.',
    auth: 'required',
    responses: { 200: { description: 'The user.', schema: userSchema } },
  },
  {
    method: 'GET',
    path: '/api/favourites',
    tag: 'favourites',
    summary: "The signed-in user's favourite cars, most recent first.",
    query: favouritesQuerySchema,
    auth: 'required',
    responses: { 200: { description: 'Favourites.', schema: favouritesSchema } },
  },
  {
    method: 'POST',
    path: '/api/favourites',
    tag: 'favourites',
    summary: "Add a car to the user's favourites (the car's favourite count rises in the same transaction).",
    body: favouriteBodySchema,
    auth: 'required',
    responses: {
      200: { description: 'Already a favourite.', schema: favouriteChangeSchema },
      201: { description: 'Added.', schema: favouriteChangeSchema },
      404: { description: 'No such car.' },
    },
  },
  {
    method: 'DELETE',
    path: '/api/favourites/:carId',
    tag: 'favourites',
    summary: "Remove a car from the user's favourites.",
    params: favouriteParamsSchema,
    auth: 'required',
    responses: {
      200: { description: 'Removed.', schema: favouriteChangeSchema },
      404: { description: 'Not among the favourites.' },
    },
  },
];
