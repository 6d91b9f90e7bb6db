// Route definitions as data. Every route names the permission it needs, which drives the
// access check, the OpenAPI document and the authorization-matrix test, so a new route is
// covered without anyone remembering to add it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Permission } from '../domain/authz.ts';
import type { Services } from '../services.ts';
import type { Actor } from '../usecases/actor.ts';

type Schema = z.ZodType;

/** 'public': no sign-in; 'authenticated': any signed-in user; a permission, or any of several. */
export type RouteAccess = 'public' | 'authenticated' | Permission | readonly Permission[];

export interface RouteContext<P, Q, B> {
  services: Services;
  /** The signed-in caller; always set unless the route is public. */
  actor: Actor;
  params: P;
  query: Q;
  body: B;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteDefinition<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  access: RouteAccess;
  summary: string;
  tags: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Success status → schema of the body (for OpenAPI and serialization). */
  responses?: Record<number, Schema>;
  /** Sign-in has no session yet to bind a CSRF token to. */
  csrfExempt?: boolean;
  /** Limited to GOVPROJ_LOGIN_RATE_LIMIT requests a minute per client address. */
  rateLimited?: true;
  /** Open-data portal (SPEC §11): limited to GOVPROJ_OPEN_DATA_RATE_LIMIT requests a minute per client address. */
  openDataRateLimited?: true;
  handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>;
}

/** Typed constructor: infers params, query and body from their zod schemas. */
export function defineRoute<P extends Schema = z.ZodUnknown, Q extends Schema = z.ZodUnknown, B extends Schema = z.ZodUnknown>(
  def: RouteDefinition<P, Q, B>,
): RouteDefinition {
  return def as unknown as RouteDefinition;
}
