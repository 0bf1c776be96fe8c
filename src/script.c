/*
 * Scripted responses and stubs (fake/control.h). Each operation has a FIFO
 * queue of scripts; an entry answers `times` calls, or every call until
 * cleared. Scripts and stubs never change state by themselves.
 */
#include "private.h"

static fake_script script_new(fake_outcome outcome)
{
	fake_script s;
	memset(&s, 0, sizeof(s));
	s.version = FAKE_SCRIPT_VERSION;
	s.outcome = outcome;
	return s;
}

fake_script fake_script_error(int status, const char *code, const char *param, const char *message)
{
	fake_script s = script_new(FAKE_OUTCOME_ERROR);
	s.error.status = status;
	fake__copy(s.error.code, sizeof(s.error.code), code);
	fake__copy(s.error.param, sizeof(s.error.param), param);
	fake__copy(s.error.message, sizeof(s.error.message), message);
	fake__error_defaults(&s.error, status);
	return s;
}

fake_script fake_script_card_declined(const char *decline_code)
{
	if (!decline_code || !fake__decline_known(decline_code))
		decline_code = "generic_decline";
	fake_script s = fake_script_error(FAKE_ECARD, fake__decline_error_code(decline_code), "",
					  fake__decline_message(decline_code));
	fake__copy(s.error.decline_code, sizeof(s.error.decline_code), decline_code);
	return s;
}

fake_script fake_script_rate_limit(int64_t retry_after)
{
	fake_script s = fake_script_error(FAKE_ERATELIMIT, "rate_limit", "",
					  "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.");
	s.error.retry_after = retry_after;
	return s;
}

fake_script fake_script_api_error(void)
{
	return fake_script_error(FAKE_EAPI, "", "",
				 "An unknown error occurred while processing your request. Please try again.");
}

fake_script fake_script_idempotency_error(void)
{
	return fake_script_error(FAKE_EIDEMPOTENCY, "idempotency_key_in_use", "",
				 "Keys for idempotent requests can only be used with the same parameters they were first used with.");
}

fake_script fake_script_outcome(fake_outcome outcome)
{
	fake_script s = script_new(outcome);
	if (outcome == FAKE_OUTCOME_DECLINE)
		fake__copy(s.error.decline_code, sizeof(s.error.decline_code), "generic_decline");
	return s;
}

int fake_script_push(fake_processor *p, fake_op op, const fake_script *script, unsigned int times)
{
	if (!p)
		return FAKE_EINVAL;
	const fake__op_info *info = fake__op_get(op);
	if (!info)
		return fake__error_set(p, FAKE_EINVAL, "", "op", "Invalid op %d: not an operation.", (int)op);
	if (!script)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "script", "Missing required param: script.");
	if (fake__check_version(p, script->version, FAKE_SCRIPT_VERSION, "fake_script"))
		return p->error->status;
	switch (script->outcome) {
	case FAKE_OUTCOME_ERROR:
		if (script->error.status >= 0 || script->error.status < FAKE_STATUS_MIN)
			return fake__error_set(p, FAKE_EINVAL, "", "script.error.status",
					       "Invalid script: an error script needs a negative FAKE_E* status, not %d.",
					       script->error.status);
		if (script->error.retry_after < 0)
			return fake__error_set(p, FAKE_EINVAL, "", "script.error.retry_after",
					       "Invalid script: retry_after is %lld seconds; it cannot be negative.",
					       (long long)script->error.retry_after);
		break;
	case FAKE_OUTCOME_SUCCEED:
	case FAKE_OUTCOME_DECLINE:
	case FAKE_OUTCOME_REQUIRES_ACTION:
	case FAKE_OUTCOME_INTERNAL_FAILURE:
		if (!(info->outcomes & (1u << script->outcome)))
			return fake__error_set(p, FAKE_EINVAL, "", "script.outcome",
					       "Invalid script: %s does not take outcome %d (only operations that charge or check a card take card outcomes, and only advance_test_clock takes internal_failure; script an error instead).",
					       info->name, (int)script->outcome);
		break;
	default:
		return fake__error_set(p, FAKE_EINVAL, "", "script.outcome", "Invalid script outcome %d.",
				       (int)script->outcome);
	}

	fake__script_queue *q = &p->scripts[op];
	if (q->head == q->len)
		q->head = q->len = 0;
	if (fake__grow(p, (void **)&q->items, &q->cap, q->len + 1, sizeof(*q->items)))
		return FAKE_ENOMEM;
	q->items[q->len].script = *script;
	fake_error *e = &q->items[q->len].script.error;
	e->decline_code[sizeof(e->decline_code) - 1] = '\0';
	q->items[q->len].times = times;
	q->len++;
	fake__error_clear(p);
	return 0;
}

bool fake__script_take(fake_processor *p, fake_op op, fake_script *out)
{
	fake__script_queue *q = &p->scripts[op];
	if (q->head == q->len)
		return false;
	fake__script_entry *e = &q->items[q->head];
	*out = e->script;
	if (e->times && --e->times == 0)
		q->head++;
	return true;
}

void fake_script_clear(fake_processor *p, fake_op op)
{
	if (p && fake__op_get(op))
		p->scripts[op].head = p->scripts[op].len = 0;
}

size_t fake_script_pending(const fake_processor *p, fake_op op)
{
	if (!p || !fake__op_get(op))
		return 0;
	const fake__script_queue *q = &p->scripts[op];
	size_t n = 0;
	for (size_t i = q->head; i < q->len; i++) {
		if (!q->items[i].times)
			return SIZE_MAX;
		n += q->items[i].times;
	}
	return n;
}

int fake_stub_set(fake_processor *p, fake_op op, fake_stub_fn fn, void *user_data)
{
	if (!p)
		return FAKE_EINVAL;
	if (!fake__op_get(op))
		return fake__error_set(p, FAKE_EINVAL, "", "op", "Invalid op %d: not an operation.", (int)op);
	p->stubs[op].fn = fn;
	p->stubs[op].user_data = fn ? user_data : NULL;
	fake__error_clear(p);
	return 0;
}

void fake__scripts_clear(fake_processor *p)
{
	for (int op = 0; op < FAKE_OP_COUNT; op++)
		p->scripts[op].head = p->scripts[op].len = 0;
	memset(p->stubs, 0, sizeof(p->stubs));
	memset(p->calls, 0, sizeof(p->calls));
}

void fake__scripts_free(fake_processor *p)
{
	for (int op = 0; op < FAKE_OP_COUNT; op++) {
		fake__free(p, p->scripts[op].items);
		p->scripts[op].items = NULL;
		p->scripts[op].cap = 0;
	}
	fake__scripts_clear(p);
}
