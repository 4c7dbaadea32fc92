import {
	coerceValue,
	DEFAULT_MAPPING,
	mapUser,
	reconcileType,
	validateMapping,
	type SlackUser,
} from '../../../../nodes/shared/sync/mapping';

const ada: SlackUser = {
	id: 'U01ADA',
	team_id: 'T0001',
	real_name: 'Ada  Lovelace',
	tz: 'Europe/London',
	is_admin: true,
	profile: {
		email: ' Ada@Example.COM ',
		phone: '020 7946 0958',
		title: 'Analyst',
		status_text: 'Computing',
	},
};

describe('mapUser with the default table', () => {
	it('maps every default field', () => {
		const c = mapUser(ada, DEFAULT_MAPPING, { defaultCountryCode: '44' });
		expect(c.email).toBe('ada@example.com');
		expect(c.attributes).toEqual({
			FIRSTNAME: 'Ada',
			LASTNAME: 'Lovelace',
			SMS: '+442079460958',
			JOB_TITLE: 'Analyst',
			TIMEZONE: 'Europe/London',
			SLACK_IS_ADMIN: true,
			SLACK_TEAM_ID: 'T0001',
			SLACK_STATUS: 'Computing',
		});
		expect(c.warnings).toEqual([]);
	});

	it('leaves out an unusable phone with a warning, not a failure', () => {
		const c = mapUser(ada, DEFAULT_MAPPING); // national number, no default country code
		expect(c.attributes.SMS).toBeUndefined();
		expect(c.attributes.FIRSTNAME).toBe('Ada');
		expect(c.warnings).toEqual([expect.stringMatching(/^SMS left out: phone no country code/)]);
	});

	it('omits empty values, or sends them as "" when clearing is on (never an empty SMS)', () => {
		const sparse: SlackUser = { id: 'U2', profile: { email: 'x@example.com' } };
		expect(mapUser(sparse, DEFAULT_MAPPING).attributes).toEqual({});
		const cleared = mapUser(sparse, DEFAULT_MAPPING, { clearEmptyValues: true }).attributes;
		expect(cleared).toEqual({
			FIRSTNAME: '',
			LASTNAME: '',
			JOB_TITLE: '',
			TIMEZONE: '',
			SLACK_IS_ADMIN: '',
			SLACK_TEAM_ID: '',
			SLACK_STATUS: '',
		});
	});

	it('falls back to the profile name and display name', () => {
		const u: SlackUser = { id: 'U3', profile: { email: 'a@b.co', display_name: 'Grace Hopper' } };
		expect(mapUser(u, DEFAULT_MAPPING).attributes).toMatchObject({ FIRSTNAME: 'Grace', LASTNAME: 'Hopper' });
	});

	it('reads any path and converts types', () => {
		const rows = validateMapping([
			{ slackField: 'updated', brevoAttribute: 'slack_updated', type: 'date' },
			{ slackField: 'is_owner', brevoAttribute: 'OWNER', type: 'boolean' },
			{ slackField: 'profile.fields.Xf01.value', brevoAttribute: 'DEPT', type: 'text' },
			{ slackField: 'realName', brevoAttribute: 'FULL_NAME', type: 'text' },
		]);
		const u: SlackUser = {
			id: 'U4',
			updated: 1700000000,
			is_owner: false,
			real_name: 'Alan Turing',
			profile: { email: 'alan@example.org', fields: { Xf01: { value: 'R&D' } } },
		};
		expect(mapUser(u, rows).attributes).toEqual({
			SLACK_UPDATED: '2023-11-14',
			OWNER: false,
			DEPT: 'R&D',
			FULL_NAME: 'Alan Turing',
		});
	});

	it('reports a value of the wrong type and leaves it out', () => {
		const rows = validateMapping([{ slackField: 'tz', brevoAttribute: 'TZ_NUM', type: 'float' }]);
		const c = mapUser(ada, rows);
		expect(c.attributes).toEqual({});
		expect(c.warnings).toEqual(['TZ_NUM left out: tz "Europe/London" is not a number']);
	});
});

describe('validateMapping', () => {
	it('upper-cases names and names the bad row', () => {
		expect(validateMapping([{ slackField: 'tz', brevoAttribute: 'time_zone', type: 'text' }])).toEqual([
			{ slackField: 'tz', brevoAttribute: 'TIME_ZONE', type: 'text' },
		]);
		expect(() => validateMapping([{ slackField: '', brevoAttribute: 'A' }])).toThrow(/row 1: the Slack field is empty/);
		expect(() => validateMapping([{ slackField: 'tz', brevoAttribute: 'TZ' }, { slackField: 'tz', brevoAttribute: 'my attr' }])).toThrow(
			/row 2: "my attr" is not a Brevo attribute name/,
		);
		expect(() => validateMapping([{ slackField: 'tz', brevoAttribute: 'email' }])).toThrow(/EMAIL is the contact's key/);
		expect(() =>
			validateMapping([
				{ slackField: 'tz', brevoAttribute: 'TZ' },
				{ slackField: 'tz_label', brevoAttribute: 'tz' },
			]),
		).toThrow(/rows 1 and 2 both write TZ/);
		expect(() => validateMapping([{ slackField: 'tz', brevoAttribute: 'TZ', type: 'json' as never }])).toThrow(/type "json"/);
	});
});

describe('types', () => {
	it('coerces', () => {
		expect(coerceValue('1', 'boolean')).toEqual({ ok: true, value: true });
		expect(coerceValue('yes', 'boolean').ok).toBe(false);
		expect(coerceValue('2.5', 'float')).toEqual({ ok: true, value: 2.5 });
		expect(coerceValue('2024-02-29T10:00:00Z', 'date')).toEqual({ ok: true, value: '2024-02-29' });
		expect(coerceValue('not a date', 'date').ok).toBe(false);
		expect(coerceValue(true, 'text')).toEqual({ ok: true, value: 'true' });
	});
	it('reconciles row types with Brevo attribute types', () => {
		expect(reconcileType('boolean', 'boolean')).toBe('same');
		expect(reconcileType('boolean', 'text')).toBe('toText');
		expect(reconcileType('boolean', 'date')).toBe('incompatible');
		expect(reconcileType('text', 'float')).toBe('incompatible');
	});
});
