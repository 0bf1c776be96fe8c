/**
 * @file fake/fake.h
 * @brief libfake: a deterministic, in-process fake of a Stripe-shaped
 *        billing processor. Include this one header.
 */
#ifndef FAKE_FAKE_H
#define FAKE_FAKE_H

#include "common.h"
#include "op.h"
#include "processor.h"
#include "clock.h"
#include "list.h"
#include "event.h"
#include "customer.h"
#include "payment_method.h"
#include "product.h"
#include "price.h"
#include "payment_intent.h"
#include "charge.h"
#include "refund.h"
#include "setup_intent.h"
#include "subscription.h"
#include "invoice.h"
#include "webhook.h"
#include "test_clock.h"
#include "snapshot.h"
#include "json.h"
#include "control.h"

#endif
