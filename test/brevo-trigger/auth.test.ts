import { authenticateRequest, safeEqual, sharedSecretProblem, urlWithCredentials, type AcceptedSecret } from '../../nodes/shared/brevo/auth';

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const registered: AcceptedSecret = { secret: 'tok-marketing-0123456789', label: 'marketing', methods: ['bearer'] };
const shared: AcceptedSecret = {
	secret: 'shared-secret-0123456789',
	label: 'shared',
	methods: ['basic', 'header', 'bearer'],
	basicUser: 'brevo',
	headerName: 'X-Brevo-Secret',
};

describe('authenticateRequest', () => {
	it('accepts the registered bearer token and says which registration matched', () => {
		const other: AcceptedSecret = { secret: 'tok-transactional-9876543210', label: 'transactional', methods: ['bearer'] };
		expect(authenticateRequest({ authorization: 'Bearer tok-transactional-9876543210' }, [registered, other])).toEqual({
			ok: true,
			method: 'bearer',
			label: 'transactional',
		});
	});
	it('accepts basic auth with the right user and secret, a custom header (any case), and bearer for the shared secret', () => {
		expect(authenticateRequest({ Authorization: basic('brevo', shared.secret) }, [shared])).toEqual({ ok: true, method: 'basic', label: 'shared' });
		expect(authenticateRequest({ 'x-brevo-secret': shared.secret }, [shared])).toEqual({ ok: true, method: 'header', label: 'shared' });
		expect(authenticateRequest({ authorization: `bearer ${shared.secret}` }, [shared])).toMatchObject({ ok: true, method: 'bearer' });
	});
	it('refuses a wrong user, a wrong secret, a prefix of the secret, and a bearer token where only basic is accepted', () => {
		expect(authenticateRequest({ authorization: basic('admin', shared.secret) }, [shared])).toEqual({ ok: false, reason: 'wrong_credentials' });
		expect(authenticateRequest({ authorization: 'Bearer nope' }, [registered])).toEqual({ ok: false, reason: 'wrong_credentials' });
		expect(authenticateRequest({ authorization: `Bearer ${registered.secret.slice(0, -1)}` }, [registered])).toMatchObject({ ok: false });
		expect(authenticateRequest({ authorization: `Bearer ${registered.secret}` }, [{ ...registered, methods: ['basic'] }])).toMatchObject({ ok: false });
		expect(authenticateRequest({ 'x-brevo-secret': 'wrong' }, [shared])).toEqual({ ok: false, reason: 'wrong_credentials' });
	});
	it('names missing, malformed and unconfigured cases', () => {
		expect(authenticateRequest({}, [registered])).toEqual({ ok: false, reason: 'missing_credentials' });
		expect(authenticateRequest({ authorization: 'Token abc' }, [registered])).toEqual({ ok: false, reason: 'malformed_authorization' });
		expect(authenticateRequest({ authorization: 'Basic bm9jb2xvbg==' }, [shared])).toEqual({ ok: false, reason: 'malformed_authorization' });
		expect(authenticateRequest({ authorization: `Bearer ${registered.secret}` }, [])).toEqual({ ok: false, reason: 'no_secret_configured' });
		expect(authenticateRequest({ authorization: 'Bearer ' }, [{ ...registered, secret: '' }])).toEqual({ ok: false, reason: 'no_secret_configured' });
	});
});

describe('helpers', () => {
	it('safeEqual compares whole values of any length', () => {
		expect(safeEqual('abc', 'abc')).toBe(true);
		expect(safeEqual('abc', 'abcd')).toBe(false);
		expect(safeEqual('', 'a')).toBe(false);
	});
	it('sharedSecretProblem refuses empty, short and URL-breaking secrets', () => {
		expect(sharedSecretProblem('')).toMatch(/no shared secret/);
		expect(sharedSecretProblem('short')).toMatch(/shorter than 16/);
		expect(sharedSecretProblem('abcdefghijklmnop:q')).toMatch(/contains/);
		expect(sharedSecretProblem('REPLACE_ME_with_a_long_random_secret')).toMatch(/placeholder/);
		expect(sharedSecretProblem('abcdefghijklmnopqrstuvwxyz012345')).toBeUndefined();
	});
	it('urlWithCredentials builds the URL to paste into Brevo', () => {
		expect(urlWithCredentials('https://n8n.example.com/webhook/abc/brevo', 'brevo', 'S3cret-S3cret-S3cret')).toBe(
			'https://brevo:S3cret-S3cret-S3cret@n8n.example.com/webhook/abc/brevo',
		);
	});
});
