import { ApiAuthorization, AuthorizationBindOptions } from './api-authorization';
import { ApiRoute } from './observable-api-props';

/**
 * Binds each distinct authorization of an API once (the API's own and the ones its routes
 * bring), so one authorizer serves every method that uses it and ids never collide: the
 * API's authorization keeps the plain id, later ones get `Auth<n>`.
 * @internal
 */
export class AuthorizationBinder<T> {
  private readonly bound = new Map<ApiAuthorization, T>();

  constructor(
    defaultAuthorization: ApiAuthorization,
    private readonly scopesOf: (auth: ApiAuthorization) => string[],
    private readonly bindOne: (auth: ApiAuthorization, options: AuthorizationBindOptions) => T,
  ) {
    this.bind(defaultAuthorization);
  }

  public bind(auth: ApiAuthorization): T {
    let result = this.bound.get(auth);
    if (result === undefined) {
      result = this.bindOne(auth, { idPrefix: this.bound.size === 0 ? '' : `Auth${this.bound.size}`, scopes: this.scopesOf(auth) });
      this.bound.set(auth, result);
    }
    return result;
  }
}

/** Every scope asked of an authorization: its own and those of the routes that use it. @internal */
export function routeScopes(defaultAuthorization: ApiAuthorization, routes: ApiRoute[]): (auth: ApiAuthorization) => string[] {
  return (auth) => {
    const scopes = new Set(auth._scopes);
    for (const route of routes) {
      if ((route.authorization ?? defaultAuthorization) === auth) for (const s of route.authorizationScopes ?? []) scopes.add(s);
    }
    return [...scopes];
  };
}
