/*
 * Webhook endpoints (fake/webhook.h) and the delivery of events to them:
 * each event an endpoint enables goes to its handler with Stripe's JSON
 * payload and a Stripe-Signature header, right after the subscribers got
 * it. A failed delivery is retried on the clock, with backoff, for up to
 * three days after the event. docs/webhooks.md describes the schedule.
 */
#include "private.h"

#include <openssl/evp.h>
#include <stdio.h>

#define RETRY_WINDOW (3 * 86400) /* Stripe retries for up to three days */
#define EVENTS_MAX 256           /* enabled events per endpoint */
#define EVENT_NAME_MAX 100

/* Seconds to wait after failed attempt n (1-based): 5 min, 30 min, 2 h, 5 h, then 10 h. */
static int64_t retry_delay(unsigned int attempt)
{
	static const int64_t delays[] = { 300, 1800, 7200, 18000, 36000 };
	return delays[attempt <= FAKE__COUNT(delays) ? attempt - 1 : FAKE__COUNT(delays) - 1];
}

static bool wants(const struct fake_webhook_endpoint *we, const struct fake_event *e)
{
	if (we->obj.flags & FAKE__DELETED || we->disabled || !we->handler)
		return false;
	const char *type = fake_event_type(e);
	for (size_t i = 0; i < we->enabled_count; i++)
		if (strcmp(we->enabled_events[i], "*") == 0 || strcmp(we->enabled_events[i], type) == 0)
			return true;
	return false;
}

static void attempt_delivery(fake_processor *p, struct fake_webhook_endpoint *we, struct fake_event *e,
			     unsigned int attempt);

void fake__webhook_retry(fake_processor *p, const fake__webhook_retry_job *r)
{
	if (!wants(r->endpoint, r->event)) {
		r->event->pending_webhooks--; /* deleted or disabled since: given up */
		return;
	}
	/* A retry is a delivery like the first: events its handler causes are
	 * delivered after it, never into it. */
	bool was_delivering = p->delivering;
	p->delivering = true;
	p->depth++;
	attempt_delivery(p, r->endpoint, r->event, r->attempt);
	p->depth--;
	p->delivering = was_delivering;
	fake__event_deliver(p);
}

/* One delivery attempt; the event's pending_webhooks already counts it. On
 * failure the next attempt is scheduled, or the delivery is given up once
 * the three days are over (or if there is no memory left to schedule it).
 * An event that cannot be written as JSON is given up at once, uncounted:
 * no retry could do better. */
static void attempt_delivery(fake_processor *p, struct fake_webhook_endpoint *we, struct fake_event *e,
			     unsigned int attempt)
{
	char *payload = NULL;
	char header[FAKE_WEBHOOK_HEADER_MAX];
	int rc = fake_json_object(&payload, p, e, 0);
	if (rc == FAKE_EINVAL) {
		e->pending_webhooks--;
		return;
	}
	if (!rc)
		rc = fake_webhook_sign(header, sizeof(header), NULL, we->secret, p->timeline.now, payload,
				       strlen(payload));
	we->attempts++;
	if (!rc) {
		fake_webhook_delivery d = { we->obj.id, e, payload, strlen(payload), header, attempt, we->secret };
		rc = we->handler(p, &d, we->user_data);
	}
	fake_json_free(p, payload);
	if (rc == 0) {
		e->pending_webhooks--;
		return;
	}
	we->failures++;
	/* Deliveries and retries run on the processor clock, whichever clock
	 * the event happened on (a test clock's events are delivered as they
	 * happen): the window counts from the first attempt. */
	int64_t since_first = 0;
	for (unsigned int k = 1; k <= attempt; k++)
		since_first += retry_delay(k);
	int64_t next = p->timeline.now + retry_delay(attempt);
	bool retry = since_first <= RETRY_WINDOW && next <= FAKE_TIME_MAX;
	fake__webhook_retry_job *r = retry ? fake__arena_alloc(p, sizeof(*r)) : NULL;
	if (r) {
		r->endpoint = we;
		r->event = e;
		r->attempt = attempt + 1;
	}
	fake__job job = { next, 0, FAKE__JOB_WEBHOOK, NULL, r };
	if (!r || fake__timeline_push(p, &p->timeline, &job) != 0)
		e->pending_webhooks--;
}

void fake__webhook_deliver(fake_processor *p, struct fake_event *e)
{
	const fake__table *t = &p->tables[FAKE_OBJECT_WEBHOOK_ENDPOINT];
	size_t n = t->len; /* endpoints created by a handler start with the next event */
	/* Each endpoint is counted in pending_webhooks just before its own
	 * delivery, so what a handler does to other endpoints (disable, delete,
	 * enable) can never unbalance the count. */
	for (size_t i = 0; i < n; i++) {
		struct fake_webhook_endpoint *we = (struct fake_webhook_endpoint *)t->items[i];
		if (wants(we, e)) {
			e->pending_webhooks++;
			attempt_delivery(p, we, e, 1);
		}
	}
}

/* "whsec_" + 32 hex digits of SHA-256(id): the same secret on every run. */
static const char *secret_for(fake_processor *p, const char *id)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	size_t md_len = 0;
	if (!EVP_Q_digest(NULL, "SHA256", NULL, id, strlen(id), md, &md_len) || md_len < 16)
		return NULL;
	char secret[6 + 32 + 1] = "whsec_";
	for (size_t i = 0; i < 16; i++)
		snprintf(secret + 6 + 2 * i, 3, "%02x", md[i]);
	bool ok = true;
	return fake__arena_strdup(p, secret, &ok);
}

static int check_events(fake_processor *p, const char *const *events, size_t count)
{
	if (!count || !events)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "enabled_events",
				       "Missing required param: enabled_events.");
	if (count > EVENTS_MAX)
		return fake__error_set(p, FAKE_EINVAL, "", "enabled_events",
				       "Invalid enabled_events: at most %d event types.", EVENTS_MAX);
	for (size_t i = 0; i < count; i++) {
		const char *ev = events[i];
		if (!ev || !ev[0] || strlen(ev) > EVENT_NAME_MAX || !fake__utf8_valid(ev) ||
		    (strcmp(ev, "*") != 0 && (!strchr(ev, '.') || strchr(ev, '*'))))
			return fake__error_set(p, FAKE_EINVAL, "", "enabled_events",
					       "Invalid enabled_events[%zu]: '%.100s' is neither \"*\" nor an event type such as customer.created.",
					       i, ev ? ev : "(null)");
	}
	return 0;
}

static int create(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_webhook_endpoint_create_params defaults = FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_INIT;
	const fake_webhook_endpoint_create_params *c = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, c->version, FAKE_WEBHOOK_ENDPOINT_CREATE_PARAMS_VERSION,
				"fake_webhook_endpoint_create_params") ||
	    fake__check_id(p, c->url, "url") || check_events(p, c->enabled_events, c->enabled_event_count) ||
	    fake__check_string(p, c->description, 5000, "description"))
		return p->error->status;
	if (!c->handler)
		return fake__error_set(p, FAKE_EINVAL, "parameter_missing", "handler", "Missing required param: handler.");

	struct fake_webhook_endpoint *we = fake__object_new(p, FAKE_OBJECT_WEBHOOK_ENDPOINT, sizeof(*we));
	if (!we)
		return fake__error_nomem(p);
	const char **events = fake__arena_alloc(p, c->enabled_event_count * sizeof(*events));
	bool ok = events != NULL;
	for (size_t i = 0; ok && i < c->enabled_event_count; i++)
		events[i] = fake__arena_strdup(p, c->enabled_events[i], &ok);
	we->url = fake__arena_strdup(p, c->url, &ok);
	we->description = c->description && c->description[0] ? fake__arena_strdup(p, c->description, &ok) : NULL;
	we->secret = ok ? secret_for(p, we->obj.id) : NULL;
	if (!ok || !we->secret)
		return fake__error_nomem(p);
	we->enabled_events = events;
	we->enabled_count = c->enabled_event_count;
	we->handler = c->handler;
	we->user_data = c->user_data;
	if (fake__store_add(p, we))
		return p->error->status;
	*(const fake_webhook_endpoint **)out = we;
	return 0;
}

int fake_webhook_endpoint_create(const fake_webhook_endpoint **out, fake_processor *p,
				 const fake_webhook_endpoint_create_params *params, const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_CREATE_WEBHOOK_ENDPOINT, NULL, params, request, out, create);
}

int fake_webhook_endpoint_retrieve(const fake_webhook_endpoint **out, fake_processor *p, const char *id,
				   const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_RETRIEVE_WEBHOOK_ENDPOINT, id, NULL, request, out, fake__op_retrieve);
}

static int set_disabled(void *out, fake_processor *p, fake__ctx *ctx)
{
	void *found = NULL;
	if (fake__store_get_live(&found, p, FAKE_OBJECT_WEBHOOK_ENDPOINT, ctx->call.id, "id"))
		return p->error->status;
	struct fake_webhook_endpoint *we = found;
	we->disabled = ctx->call.params != NULL;
	*(const fake_webhook_endpoint **)out = we;
	return 0;
}

int fake_webhook_endpoint_set_disabled(const fake_webhook_endpoint **out, fake_processor *p, const char *id,
				       bool disabled, const fake_request *request)
{
	/* Stubs and scripts see a non-NULL params for "disable". */
	static const bool yes = true;
	return fake__op_run(p, FAKE_OP_UPDATE_WEBHOOK_ENDPOINT, id, disabled ? &yes : NULL, request, out,
			    set_disabled);
}

int fake_webhook_endpoint_set_handler(fake_processor *p, const char *id, fake_webhook_handler handler,
				      void *user_data)
{
	if (!p)
		return FAKE_EINVAL;
	void *found = NULL;
	if (fake__store_get_live(&found, p, FAKE_OBJECT_WEBHOOK_ENDPOINT, id, "id"))
		return p->error->status;
	struct fake_webhook_endpoint *we = found;
	we->handler = handler;
	we->user_data = user_data;
	fake__error_clear(p);
	return 0;
}

static int delete(void *out, fake_processor *p, fake__ctx *ctx)
{
	void *found = NULL;
	if (fake__store_get_live(&found, p, FAKE_OBJECT_WEBHOOK_ENDPOINT, ctx->call.id, "id"))
		return p->error->status;
	struct fake_webhook_endpoint *we = found;
	we->obj.flags |= FAKE__DELETED;
	*(const fake_webhook_endpoint **)out = we;
	return 0;
}

int fake_webhook_endpoint_delete(const fake_webhook_endpoint **out, fake_processor *p, const char *id,
				 const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_DELETE_WEBHOOK_ENDPOINT, id, NULL, request, out, delete);
}

static int list(void *out, fake_processor *p, fake__ctx *ctx)
{
	static const fake_webhook_endpoint_list_params defaults = FAKE_WEBHOOK_ENDPOINT_LIST_PARAMS_INIT;
	const fake_webhook_endpoint_list_params *params = ctx->call.params ? ctx->call.params : &defaults;
	if (fake__check_version(p, params->version, FAKE_WEBHOOK_ENDPOINT_LIST_PARAMS_VERSION,
				"fake_webhook_endpoint_list_params"))
		return p->error->status;
	return fake__list_page(out, p, FAKE_OBJECT_WEBHOOK_ENDPOINT, &params->page, NULL, NULL);
}

int fake_webhook_endpoint_list(fake_list *out, fake_processor *p, const fake_webhook_endpoint_list_params *params,
			       const fake_request *request)
{
	return fake__op_run(p, FAKE_OP_LIST_WEBHOOK_ENDPOINTS, NULL, params, request, out, list);
}

const char *fake_webhook_endpoint_id(const fake_webhook_endpoint *we)
{
	return we ? we->obj.id : NULL;
}

int64_t fake_webhook_endpoint_created(const fake_webhook_endpoint *we)
{
	return we ? we->obj.created : 0;
}

const char *fake_webhook_endpoint_url(const fake_webhook_endpoint *we)
{
	return we ? we->url : NULL;
}

const char *fake_webhook_endpoint_secret(const fake_webhook_endpoint *we)
{
	return we ? we->secret : NULL;
}

size_t fake_webhook_endpoint_enabled_event_count(const fake_webhook_endpoint *we)
{
	return we ? we->enabled_count : 0;
}

const char *fake_webhook_endpoint_enabled_event(const fake_webhook_endpoint *we, size_t i)
{
	return we && i < we->enabled_count ? we->enabled_events[i] : NULL;
}

const char *fake_webhook_endpoint_status(const fake_webhook_endpoint *we)
{
	return we ? (we->disabled ? "disabled" : "enabled") : NULL;
}

const char *fake_webhook_endpoint_description(const fake_webhook_endpoint *we)
{
	return we ? we->description : NULL;
}

bool fake_webhook_endpoint_deleted(const fake_webhook_endpoint *we)
{
	return we && (we->obj.flags & FAKE__DELETED);
}

uint64_t fake_webhook_endpoint_attempts(const fake_webhook_endpoint *we)
{
	return we ? we->attempts : 0;
}

uint64_t fake_webhook_endpoint_failures(const fake_webhook_endpoint *we)
{
	return we ? we->failures : 0;
}
