// A real OpenID Connect provider (the certified `oidc-provider`) for the sign-in tests, on
// loopback. Started by tests/oidc.py as `node server.mjs` with PORT, CLIENT_ID, CLIENT_SECRET
// and REDIRECT_URIS (comma-separated) in its environment; prints "ready <issuer>" when it
// listens.
//
// Its sign-in page asks for an account name and signs that account in, granting the scopes
// asked for. Each test sets, by POST /__test/config (JSON), the accounts and their claims (an
// Entra ID-like `oid`, `tid`, `email`...) and how the ID token is to be bent: issued for
// another audience, or already expired. A bent token is signed with the provider's own key, as a
// real but wrong token would be.
import { generateKeyPair, exportJWK, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clientId = process.env.CLIENT_ID;
const redirectUris = process.env.REDIRECT_URIS.split(',');

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

let config = { accounts: {}, audience: null, expired: false };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: ['a-test-cookie-key-that-is-only-for-tests'] },
  claims: {
    openid: ['sub', 'oid', 'tid'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  // The claims of the scopes asked for go in the ID token, as Entra ID puts them there.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = config.accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account }) };
  },
});
provider.proxy = false;

const page = (uid, error = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test sign-in service</title></head>
<body><main><h1>Test sign-in service</h1>${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<label for="login">Account</label> <input id="login" name="login" autocomplete="username">
<button type="submit">Sign in to the test service</button></form></main></body></html>`;

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function bend(idToken) {
  const claims = decodeJwt(idToken);
  const header = decodeProtectedHeader(idToken);
  if (config.audience) claims.aud = config.audience;
  if (config.expired) {
    const now = Math.floor(Date.now() / 1000);
    claims.iat = now - 7200;
    claims.exp = now - 3600;
  }
  return new SignJWT(claims).setProtectedHeader(header).sign(privateKey);
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test/config' && ctx.method === 'POST') {
    const body = [];
    for await (const chunk of ctx.req) body.push(chunk);
    config = { accounts: {}, audience: null, expired: false, ...JSON.parse(Buffer.concat(body)) };
    ctx.body = { ok: true };
    return;
  }
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (match) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    ctx.type = 'html';
    if (!match[2]) {
      ctx.body = page(details.uid);
      return;
    }
    const login = (await readForm(ctx.req)).get('login') || '';
    if (!config.accounts[login]) {
      ctx.body = page(details.uid, 'No such account.');
      return;
    }
    const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, {
      login: { accountId: login },
      consent: { grantId },
    }, { mergeWithLastSubmission: false });
    ctx.redirect(returnTo);
    return;
  }
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && (config.audience || config.expired)) {
    ctx.body = { ...ctx.body, id_token: await bend(ctx.body.id_token) };
  }
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
