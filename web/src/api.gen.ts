// GENERATED FILE — do not edit. Written by `npm run gen:web-types` (scripts/gen-web-types.ts)
// with openapi-typescript from the desk's OpenAPI document (GET /api/openapi.json), which is
// generated from the zod schemas in src/requests/schemas.ts and src/api/schemas/.
export type paths = {
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Indexer and chain health */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Slashing requests, a page at a time (open first, then by deadline; or sort=impact), optionally filtered by status; ETag / If-None-Match → 304 */
        get: operations["listRequests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One slashing request by id */
        get: operations["getRequest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Alerts, newest first, with their delivery state per channel */
        get: operations["listAlerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}/veto": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The request's veto: the proposal to sign now (or the one that executed); with `nonce`, the same veto at that Safe nonce (the ways out of a blocked nonce point here) */
        get: operations["getVeto"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}/veto/signatures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An owner's signature over the request's veto (EIP-712 v=27/28 or eth_sign v=31/32) */
        post: operations["submitVetoSignature"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}/fulfil": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Governance's fulfil Safe transaction of the request (when the slasher role is a Safe): typed data to sign, signatures, status */
        get: operations["getFulfil"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}/fulfil/signatures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A governance owner's signature over the request's fulfil (EIP-712 v=27/28 or eth_sign v=31/32); the desk executes it once the window has passed */
        post: operations["submitFulfilSignature"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/safe/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The committee Safe nonce plan: vetoes and rejections by nonce, blocked nonces explained */
        get: operations["getSafePlan"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/safe/rejections/{nonce}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The rejection Safe transaction at a nonce (to = Safe, value 0, empty data), with its signatures and what it unblocks */
        get: operations["getRejection"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/safe/rejections/{nonce}/signatures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An owner's signature over the rejection at a blocking nonce; the desk executes it at quorum */
        post: operations["submitRejectionSignature"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/safe/batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Propose one Safe transaction vetoing several requests (MultiSend) at the nonce the desk serves; it holds no nonce until signed; idempotent for the same set */
        post: operations["proposeBatchVeto"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/safe/batches/{nonce}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The batch veto at a nonce (the one of `requestIds`, or the only one there, or the one with the most signatures), with its signatures */
        get: operations["getBatchVeto"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/safe/batches/{nonce}/signatures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An owner's signature over the batch veto; the desk executes it at quorum. With `requestIds`, a batch nobody had signed that was dropped (at most 20 unsigned are kept) is proposed again at the same nonce first */
        post: operations["submitBatchSignature"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-Sent Events for the page: `health` after every ingest pass, `requests` when requests/vetoes/actions changed (re-fetch), `notes` when a note was written; `: ping` comments keep the stream open */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/siwe/nonce": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a Sign-In with Ethereum (EIP-4361): a single-use nonce, bound to this browser by an HttpOnly cookie for 10 minutes */
        post: operations["siweNonce"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/siwe/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check the signed EIP-4361 message (domain = this host, chain id, nonce, time bounds, EOA signature) and set the session cookie (HttpOnly, SameSite=Strict, 12 h) */
        post: operations["siweVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/siwe/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who this browser is signed in as, and whether that address is a current committee owner */
        get: operations["siweMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/siwe/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the session */
        post: operations["siweLogout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The committee's decision notes and evidence links on a request, oldest first */
        get: operations["listNotes"];
        put?: never;
        /** Write a note: needs a SIWE session of a current committee owner (read on chain now) */
        post: operations["addNote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Everything that happened to a request, oldest first: queued, veto proposal and signatures (with source), re-plans, executions, cancel/fulfil, desk actions, alerts and their deliveries */
        get: operations["getTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}/veto/execution": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The execTransaction call that executes the request's veto (threshold met), for a member to send from their wallet */
        get: operations["getVetoExecution"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/requests/{id}/fulfil/execution": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The execTransaction call that executes governance's fulfil Safe transaction (threshold met), when the slasher role is a Safe */
        get: operations["getFulfilExecution"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/strategies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Each strategy's underlying token and ERC-20 symbol, when readable (cached); a strategy no stored request names is answered unknown (token and symbol null) without reading the chain */
        get: operations["getStrategyTokens"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/dev/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Embedded devnet only: the seeded committee owners' public anvil keys for the page's dev signer */
        get: operations["getDevAccounts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/dev/operators": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Embedded devnet only: the seeded operators a practice request may name (the first is the default) */
        get: operations["getDevOperators"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/dev/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Embedded devnet only: queue a practice slashing request, sent by the devnet's keeper (the slasher role) and mined before the answer */
        post: operations["queueDevRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document, generated from the schemas the routes validate with */
        get: operations["getOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (vetodesk_*) */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        /** @description one entry of a request's action history */
        Action: {
            /** @description fulfil_sent | fulfil_bumped | fulfil_landed | fulfil_failed | fulfil_cancelled | veto_executed | veto_escalated | fulfil_no_quorum | no_actor | dry_run | … */
            kind: string;
            txHash: `0x${string}` | null;
            blockNumber: number | null;
            detail: string;
            /** Format: date-time */
            at: string;
        };
        AlertDelivery: {
            channel: string;
            /** @enum {string} */
            state: "pending" | "delivered" | "failed";
            attempts: number;
            /** @description while pending: the next attempt */
            nextAttemptAt: string | null;
            lastError: string | null;
            deliveredAt: string | null;
            /** @description deliveredAt − seenAt */
            latencyMs: number | null;
        };
        AlertItem: {
            id: string;
            dedupKey: string;
            /** @description see README "Alerts" for every kind */
            kind: string;
            /** @description info | warning | critical */
            severity: string;
            /** @description trigger | resolve */
            action: string;
            /** @description absent for desk-health alerts */
            requestId?: string;
            title: string;
            /**
             * Format: date-time
             * @description when the desk saw what the alert is about
             */
            seenAt: string;
            /** Format: date-time */
            createdAt: string;
            deliveries: components["schemas"]["AlertDelivery"][];
        };
        AlertList: {
            /** @description newest first */
            alerts: components["schemas"]["AlertItem"][];
        };
        BatchProposalInput: {
            requestIds: string[];
        };
        /** @description one committee Safe transaction vetoing several requests: DELEGATECALL into MultiSendCallOnly, one cancelSlashingRequest per id */
        BatchView: {
            /** @description address (checksummed) */
            safe: `0x${string}`;
            nonce: number;
            safeTxHash: `0x${string}`;
            typedData: components["schemas"]["TypedData"];
            threshold: number;
            signatures: components["schemas"]["SafeTxSignature"][];
            /** @enum {string} */
            status: "collecting" | "ready" | "executed" | "failed" | "abandoned";
            statusReason: string | null;
            executionTxHash: `0x${string}` | null;
            requestIds: string[];
            /** @description MultiSendCallOnly, called with DELEGATECALL (operation 1) */
            to: `0x${string}`;
            /** @constant */
            operation: 1;
        };
        /** @description it has its signatures but waits behind a Safe nonce nothing can execute at: why, and the ways out */
        Blocked: {
            /** @description the lowest nonce nothing can execute at */
            nonce: number;
            /** @description the request whose proposal holds that nonce: one with quorum held back first, else one without quorum (null: nobody holds it) */
            blockingRequestId: string | null;
            holders: {
                /**
                 * @description the desk's own call (veto on the committee's Safe, fulfil on governance's), a rejection filling the nonce, or a batch of calls
                 * @enum {string}
                 */
                kind: "veto" | "fulfil" | "rejection" | "batch";
                requestIds: string[];
                signers: `0x${string}`[];
                missing: number;
                held: string | null;
            }[];
            /** @description blocks left before this proposal can no longer land (window end for a veto) */
            blocksLeft: number | null;
            waysOut: components["schemas"]["WayOut"][];
        };
        DevAccounts: {
            /** @constant */
            devnet: true;
            warning: string;
            accounts: {
                label: string;
                /** @description address (checksummed) */
                address: `0x${string}`;
                privateKey: `0x${string}`;
            }[];
        };
        DevOperators: {
            operators: `0x${string}`[];
        };
        DevRequestInput: {
            /** @description one of GET /api/dev/operators; default the first */
            operator?: `0x${string}`;
            /** @description percent of each strategy to slash; default 10 */
            percent?: number;
            description?: string;
        };
        DevRequestQueued: {
            /** @description unsigned integer in decimal */
            requestId: string;
            txHash: `0x${string}`;
            block: number;
        };
        Error: {
            error: {
                /** @description stable machine-readable code, e.g. BAD_REQUEST, REQUEST_NOT_FOUND, SIGNER_NOT_OWNER (see src/errors.ts) */
                code: string;
                message: string;
            };
        };
        HealthView: {
            /** @enum {string} */
            status: "ok" | "degraded" | "starting" | "error";
            chainId: number | null;
            headBlock: number | null;
            indexedBlock: number | null;
            lagBlocks: number | null;
            variant?: string | null;
            slasher?: string;
            /** @enum {string} */
            database?: "sqlite" | "postgresql";
            problems?: string[];
            /** @description veto execution: who sends execTransaction; executor null = the desk never sends */
            vetoExecution?: components["schemas"]["SafeExecution"];
            /** @description governance's fulfil Safe (the slasher role); `note` says why it is off (an EOA role) */
            fulfilExecution?: components["schemas"]["SafeExecution"];
            /** @description the deadline timers: the single-actor lease, whether the desk sends */
            scheduler?: {
                lease: {
                    holder: boolean;
                    id: string;
                    lastError: string | null;
                };
                sends: boolean;
                slasherAccount: string | null;
                dryRun: boolean;
                lastError: string | null;
            };
            rpc?: components["schemas"]["RpcHealth"];
            /** @description the alert channels configured (names); empty: alerts are recorded, nobody is told */
            alertChannels?: string[];
        };
        ImpactView: {
            readAtBlock: number;
            /** @description true: slashableShares are the minimum slashable at the window end (pending deallocations counted); false: now */
            atWindowEnd: boolean;
            /** @description where slashed funds go: redistributing to `recipient`, or burned (`redistributing: false`, `recipient` the default burn address); both null: an older core without the getters (unknown) */
            redistribution: {
                redistributing: boolean | null;
                recipient: `0x${string}` | null;
            };
            strategies: {
                /** @description address (checksummed) */
                strategy: `0x${string}`;
                /** @description null when the strategy's token could not be read */
                token: {
                    /** @description address (checksummed) */
                    address: `0x${string}`;
                    symbol: string;
                    decimals: number;
                } | null;
                /** @description unsigned integer in decimal */
                slashableShares: string;
                /** @description slashable now (getAllocatedStake); equals slashableShares when atWindowEnd is false */
                slashableSharesNow: string;
                /** @description wadsToSlash × slashableShares / 1e18, rounded down */
                sharesToSlash: string;
                /** @description sharesToSlash in the token's base units (sharesToUnderlyingView); null when unknown */
                tokensToSlash: string | null;
                /** @description unsigned integer in decimal */
                remainingShares: string;
            }[];
        };
        /** @description the scheduler's next step for a request */
        NextAction: {
            /**
             * @description fulfil: send the fulfil at dueBlock/dueAt; execute_veto: execute the veto (threshold met); collect_veto_signatures: the veto lacks signatures; collect_fulfil_signatures: governance's fulfil lacks signatures; await_confirmations: not yet buried under CONFIRMATIONS blocks; await_fulfil: the fulfil is sent, waiting for it to be mined; unblock_veto: the veto has its signatures but waits behind a Safe nonce nothing can execute at
             * @enum {string}
             */
            kind: "fulfil" | "execute_veto" | "collect_veto_signatures" | "collect_fulfil_signatures" | "await_confirmations" | "await_fulfil" | "unblock_veto";
            /**
             * @description who carries it out: the desk itself, Safe owners (signatures), or nobody (no key, no Safe: an alert fires)
             * @enum {string}
             */
            actor: "desk" | "owners" | "nobody";
            /** @description block at (or after) which it is due; null = now / not block-bound */
            dueBlock: number | null;
            /**
             * Format: date-time
             * @description wall-clock estimate of when it is due
             */
            dueAt: string;
            /** @description true when `dueAt` is derived from the observed block time */
            estimated: boolean;
            /** @description in words, e.g. why nobody can act or that DRY_RUN holds it back */
            note: string | null;
            /** @description DRY_RUN: the desk computes and alerts but will not send */
            dryRun: boolean;
        };
        Note: {
            id: number;
            /** @description unsigned integer in decimal */
            requestId: string;
            /** @description the committee owner who wrote it (signed in with Ethereum) */
            author: `0x${string}`;
            body: string;
            links: string[];
            /** Format: date-time */
            createdAt: string;
        };
        NoteInput: {
            body: string;
            /** @default [] */
            links: string[];
        };
        NoteList: {
            /** @description oldest first */
            notes: components["schemas"]["Note"][];
        };
        /** @description a rejection at a blocking Safe nonce: to = the Safe itself, value 0, empty data, operation call; executing it consumes the nonce */
        RejectionView: {
            /** @description address (checksummed) */
            safe: `0x${string}`;
            nonce: number;
            safeTxHash: `0x${string}`;
            typedData: components["schemas"]["TypedData"];
            threshold: number;
            signatures: components["schemas"]["SafeTxSignature"][];
            /** @enum {string} */
            status: "collecting" | "ready" | "executed" | "failed" | "abandoned";
            statusReason: string | null;
            executionTxHash: `0x${string}` | null;
            /** @description the first signed proposal without quorum at this nonce (null: none, a gap) */
            blocking: {
                /** @description unsigned integer in decimal */
                requestId: string;
                status: string;
                signatures: number;
            } | null;
            /** @description requests whose ready proposals wait behind this nonce */
            unblocks: string[];
        };
        RequestList: {
            requests: components["schemas"]["RequestView"][];
            /** @description pass as `cursor` for the page after this one; null on the last page */
            nextCursor: string | null;
        };
        /**
         * @description in_veto_window: can still be vetoed; vetoed: cancelled by the committee; fulfillable: window over, can be fulfilled; fulfilled: slashed; lapsed: the last useful block has passed
         * @enum {string}
         */
        RequestStatus: "in_veto_window" | "vetoed" | "fulfillable" | "fulfilled" | "lapsed";
        RequestView: {
            /** @description unsigned integer in decimal */
            requestId: string;
            /** @description address (checksummed) */
            slasher: `0x${string}`;
            variant: components["schemas"]["Variant"];
            /** @description address (checksummed) */
            operator: `0x${string}`;
            operatorSetId: number;
            /** @description null while not read yet from the slasher's getter (deadlines.slashability is then pending) */
            strategies: `0x${string}`[] | null;
            /** @description 1e18 = 100% */
            wadsToSlash: string[];
            description: string;
            queuedAtBlock: number;
            queuedTxHash: `0x${string}`;
            status: components["schemas"]["RequestStatus"];
            /** @description block for V3/V4 windows, timestamp (unix seconds) for V1/V2 */
            vetoWindowEnd: {
                /** @description V3/V4: first block at which a fulfil is allowed */
                block?: number;
                /** @description V1/V2: first unix second at which a fulfil is allowed */
                timestamp?: number;
                /**
                 * Format: date-time
                 * @description wall-clock time of the window end
                 */
                estimatedAt: string;
                /** @description true when `estimatedAt` comes from the observed block time rather than a known timestamp */
                estimated: boolean;
            };
            /** @description null = unbounded */
            lastUsefulBlock: number | null;
            lastUsefulBlockEstimatedAt: string | null;
            /** @description the window ends after the last useful block */
            atRisk: boolean;
            /** @description buried under CONFIRMATIONS blocks */
            confirmed: boolean;
            confirmations: number;
            deadlines: {
                blockTimeSeconds: number;
                blocksUntilWindowEnd: number | null;
                blocksUntilLastUseful: number | null;
                /** @description R = deregisterBlock + DEALLOCATION_DELAY, null while registered. An operator that left before the membership history the desk searched gets an upper bound that still lies before that request; one that never joined gets 0 */
                registrationBound: number | null;
                strategies: components["schemas"]["StrategyDeadline"][];
                /**
                 * @description read: the operator set's slashability was read at slashabilityReadAtBlock; pending: not read yet (lastUsefulBlock shows unbounded until the ingest pass that stored the request ends); untracked: not read, because the AVS is unknown or the request is vetoed or fulfilled (its L no longer matters)
                 * @enum {string}
                 */
                slashability: "read" | "pending" | "untracked";
                slashabilityReadAtBlock: number | null;
            };
            /** @description what the slash takes and where the funds go; null while unknown (`impactReason` says why) */
            impact: components["schemas"]["ImpactView"] | null;
            impactReason: string | null;
            cancelled?: {
                block: number;
                txHash: `0x${string}`;
            };
            fulfilled?: {
                block: number;
                txHash: `0x${string}`;
            };
            /** @description V4 only: earlier requests this one overwrote under the same id */
            overwrote?: number;
            /** @description V4: a later request reused this id */
            overwritten?: boolean;
            /** @description set when its stake escaped once (it lapsed at `block`); a request never expires on chain, so it can be fulfillable again, and the desk then does not fulfil it unless FULFIL_AFTER_LAPSE is set */
            lapsed?: {
                block: number;
                slashableAgainAtBlock: number | null;
            };
            /** @description the committee's veto of this request: the proposal to sign now, or the one that executed */
            veto?: components["schemas"]["VetoView"];
            /** @description governance's fulfil Safe transaction, when the slasher is a Safe */
            fulfil?: components["schemas"]["VetoView"];
            /** @description what the scheduler will do next for this request; null = nothing left to do */
            nextAction?: components["schemas"]["NextAction"] | null;
            /** @description what the desk decided and did for this request, and what the chain did to it, oldest first */
            actions?: components["schemas"]["Action"][];
        };
        /** @description the RPC as the desk last found it (URLs redacted); while it does not answer, lagBlocks grows with the time since lastHeadAt */
        RpcHealth: {
            /** @description false when no endpoint answered its last call */
            reachable: boolean;
            /** @description the endpoint in trouble, else the one that answered last */
            endpoint: string | null;
            /** @description since when no endpoint answers; null while one does */
            unreachableSince: string | null;
            /** @description when the desk last read the head */
            lastHeadAt: string | null;
            endpoints: {
                url: string;
                reachable: boolean | null;
                unreachableSince: string | null;
                lastError: string | null;
            }[];
        };
        /** @description a Safe desk's execution facts: who sends execTransaction (executor null = the desk never sends) and what it last read of the Safe */
        SafeExecution: {
            executor: string | null;
            sends: boolean;
            safe: string;
            owners: string[];
            threshold: number | null;
            nonce: number | null;
            note?: string;
            lastError?: string;
            txService?: {
                url: string;
                lastError: string | null;
            };
        };
        /** @description the transaction a member sends from their wallet to execute a Safe transaction whose threshold is met: to = the Safe, data = execTransaction(…) with the packed owner signatures */
        SafeExecutionCall: {
            /** @description address (checksummed) */
            safe: `0x${string}`;
            nonce: number;
            safeTxHash: `0x${string}`;
            threshold: number;
            /** @description the owners whose signatures are packed, ascending (the Safe's order) */
            signers: `0x${string}`[];
            /** @description address (checksummed) */
            to: `0x${string}`;
            /** @constant */
            value: "0";
            data: `0x${string}`;
        };
        /** @description the Safe nonces in use: a nonce is held only by a signed proposal (an unsigned request is served at `servedNonce` and holds none); each blocked nonce with the ways past it */
        SafePlan: {
            /** @description address (checksummed) */
            safe: `0x${string}`;
            safeNonce: number;
            threshold: number;
            /** @description the lowest nonce no signed proposal holds: where every unsigned request is served */
            servedNonce: number;
            entries: {
                nonce: number;
                /**
                 * @description the desk's own call (veto on the committee's Safe, fulfil on governance's), a rejection filling the nonce, or a batch of calls
                 * @enum {string}
                 */
                kind: "veto" | "fulfil" | "rejection" | "batch";
                requestId: string | null;
                /** @description batch: the requests it vetoes */
                requestIds?: string[];
                status: string;
                signatures: number;
                safeTxHash: `0x${string}`;
                /** @description holds its nonce (signed, and its request's lowest signed proposal) */
                holds: boolean;
            }[];
            blocked: {
                nonce: number;
                blockingRequestId: string | null;
                waiting: string[];
                explanation: string;
                /** @description path of the rejection at this nonce */
                rejection: string;
                waysOut: components["schemas"]["WayOut"][];
            }[];
        };
        SafeSignatureInput: {
            /** @description 65-byte hex, 0x-prefixed (EIP-712 v=27/28 or eth_sign v=31/32) */
            signature: string;
            /**
             * @description who submitted: `cli` from `npm run cli -- sign`, else `http`
             * @enum {string}
             */
            source?: "http" | "cli";
            /** @description what the owner signed (refused when it differs) */
            safeTxHash?: `0x${string}`;
            /** @description batch: which batch at the nonce (several may be proposed there); ignored for a rejection */
            requestIds?: string[];
        };
        SafeTxSignature: {
            /** @description address (checksummed) */
            signer: `0x${string}`;
            /** @enum {string} */
            source: "http" | "cli" | "tx-service";
            /** Format: date-time */
            submittedAt: string;
            /** @description set when the signature no longer counts (the signer stopped being an owner) */
            stale?: string;
        };
        SignatureInput: {
            /** @description 65-byte hex, 0x-prefixed (EIP-712 v=27/28 or eth_sign v=31/32) */
            signature: string;
            /**
             * @description who submitted: `cli` from `npm run cli -- sign`, else `http`
             * @enum {string}
             */
            source?: "http" | "cli";
            /** @description the Safe the signer believes they signed for (sharper diagnosis) */
            safe?: `0x${string}`;
            /** @description the safeTxHash the owner signed; names the nonce at once (any nonce from the Safe's up to the last planned + 5). Without it, the nonce the desk serves now or one this request is already signed at */
            safeTxHash?: `0x${string}`;
        };
        SiweNonce: {
            nonce: string;
            chainId: number;
            /** Format: date-time */
            expiresAt: string;
        };
        /** @description the signed-in member; all null when not signed in */
        SiweSession: {
            /** @description checksummed address proven by the EIP-4361 signature */
            address: `0x${string}` | null;
            /** @description a current owner of the committee Safe (read on chain); null when the Safe cannot be read */
            owner: boolean | null;
            expiresAt: string | null;
        };
        SiweVerifyInput: {
            /** @description the EIP-4361 text */
            message: string;
            signature: `0x${string}`;
        };
        StrategyDeadline: {
            /** @description address (checksummed) */
            strategy: `0x${string}`;
            /** @description null = unbounded */
            lastUsefulBlock: number | null;
            /** @description unsigned integer in decimal */
            currentMagnitude: string;
            /** @description unsigned integer in decimal */
            remainingMagnitude: string;
            pendingDeallocation: {
                effectBlock: number;
                /** @description integer in decimal */
                diff: string;
            } | null;
        };
        StrategyTokens: {
            strategies: {
                /** @description address (checksummed) */
                strategy: `0x${string}`;
                /** @description underlyingToken(); null when not readable, or when no stored request names the strategy (not read then) */
                token: `0x${string}` | null;
                /** @description ERC-20 symbol(); null when not readable, or when no stored request names the strategy (not read then) */
                symbol: string | null;
            }[];
        };
        Timeline: {
            /** @description unsigned integer in decimal */
            requestId: string;
            /** @description oldest first */
            entries: components["schemas"]["TimelineEntry"][];
        };
        TimelineEntry: {
            /** @enum {string} */
            kind: "queued" | "proposal" | "superseded" | "signature" | "executed" | "execution_failed" | "cancelled" | "fulfilled" | "action" | "alert";
            /**
             * @description which Safe transaction a proposal/signature/execution entry belongs to
             * @enum {string}
             */
            subject?: "veto" | "fulfil";
            title: string;
            detail: string | null;
            /** @description null when unknown */
            at: string | null;
            /** @description true when `at` is derived from the observed block time */
            estimated: boolean;
            block: number | null;
            txHash: string | null;
            /** @description signer of a signature */
            actor: string | null;
            /** @description signature source: http | cli | tx-service */
            source: string | null;
        };
        /** @description EIP-712 typed data of a Safe transaction (eth_signTypedData_v4) as JSON; uint256 values as decimal strings: what an owner signs */
        TypedData: {
            domain: {
                chainId: number;
                /** @description address (checksummed) */
                verifyingContract: `0x${string}`;
            };
            types: {
                EIP712Domain: {
                    name: string;
                    type: string;
                }[];
                readonly SafeTx: {
                    name: string;
                    type: string;
                }[];
            };
            /** @constant */
            primaryType: "SafeTx";
            message: {
                /** @description address (checksummed) */
                to: `0x${string}`;
                /** @description unsigned integer in decimal */
                value: string;
                data: `0x${string}`;
                operation: 0 | 1;
                /** @description unsigned integer in decimal */
                safeTxGas: string;
                /** @description unsigned integer in decimal */
                baseGas: string;
                /** @description unsigned integer in decimal */
                gasPrice: string;
                /** @description address (checksummed) */
                gasToken: `0x${string}`;
                /** @description address (checksummed) */
                refundReceiver: `0x${string}`;
                /** @description unsigned integer in decimal */
                nonce: string;
            };
        };
        /** @enum {string} */
        Variant: "V1" | "V2" | "V3" | "V4";
        /** @description a request's Safe transaction: the committee's veto (to = slasher, data = cancelSlashingRequest(id)) or governance's fulfil (data = fulfillSlashingRequest(id)) */
        VetoView: {
            /** @description address (checksummed) */
            safe: `0x${string}`;
            /** @description Safe nonce of this proposal: fixed by its first signature; an unsigned one is served at the lowest nonce no signed proposal holds */
            nonce: number;
            safeTxHash: `0x${string}`;
            typedData: components["schemas"]["TypedData"];
            threshold: number;
            signatures: components["schemas"]["SafeTxSignature"][];
            /** @enum {string} */
            status: "collecting" | "ready" | "executed" | "failed" | "abandoned";
            /** @description why failed / abandoned, or what a ready proposal waits for, in words */
            statusReason: string | null;
            executionTxHash: `0x${string}` | null;
            /** @description the lower Safe nonce that must execute first, when this proposal has quorum but waits */
            blockedByNonce: number | null;
            blocked: components["schemas"]["Blocked"] | null;
            /** @description owners whose signatures went void when another transaction took the nonce they signed at: they must sign this proposal again */
            signAgain: {
                signers: `0x${string}`[];
                lostNonce: number;
            } | null;
            /** @description the same call signed at other nonces (a signer covered the next few), lowest first */
            alternatives: {
                nonce: number;
                safeTxHash: `0x${string}`;
                signatures: number;
                /** @enum {string} */
                status: "collecting" | "ready" | "executed" | "failed" | "abandoned";
            }[];
            /** @description earlier proposals for this request set aside, and why (their signatures never execute) */
            superseded: {
                nonce: number;
                safeTxHash: `0x${string}`;
                signatures: number;
                reason: string;
            }[];
        };
        /** @description one way past a blocking nonce */
        WayOut: {
            /**
             * @description sign_blocking: sign the proposal holding the blocking nonce (it then executes first); sign_rejection: sign the rejection at that nonce (it only fills the nonce); sign_here: sign this same veto (or fulfil) again at that nonce
             * @enum {string}
             */
            kind: "sign_blocking" | "sign_rejection" | "sign_here";
            nonce: number;
            /** @description the request whose proposal to sign (sign_blocking, sign_here) */
            requestId: string | null;
            /** @description signatures still needed that way */
            missing: number;
            /** @description where to GET the typed data to sign (POST the signature to the same resource's signatures route) */
            href: string;
            words: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ok, degraded or starting */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthView"];
                };
            };
            /** @description error */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthView"];
                };
            };
        };
    };
    listRequests: {
        parameters: {
            query?: {
                /** @description repeat the parameter or separate values with commas */
                status?: components["schemas"]["RequestStatus"][];
                /** @description impact: largest slash first where one token allows comparing; absent: open requests first, then by deadline */
                sort?: "impact";
                /** @description requests per page (default 100, at most 1000) */
                limit?: number;
                /** @description the nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description matching requests */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RequestList"];
                };
            };
            /** @description INVALID_STATUS_FILTER: unknown status value; BAD_REQUEST: sort is not "impact", limit outside 1–1000, or a cursor this desk did not hand out */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description request id in decimal (uint256) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the request */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RequestView"];
                };
            };
            /** @description BAD_REQUEST: id is not a non-negative decimal integer */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REQUEST_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAlerts: {
        parameters: {
            query?: {
                /** @description alerts with a delivery in this state */
                state?: "pending" | "delivered" | "failed";
                kind?: string;
                requestId?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description alerts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertList"];
                };
            };
            /** @description BAD_REQUEST: bad filter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getVeto: {
        parameters: {
            query?: {
                /** @description the same veto at this Safe nonce (the ways out of a blocked nonce point here) */
                nonce?: string;
            };
            header?: never;
            path: {
                /** @description request id in decimal (uint256) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the veto */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VetoView"];
                };
            };
            /** @description BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REQUEST_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description VETO_NOT_AVAILABLE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NONCE_OUT_OF_RANGE, SIGNATURE_WRONG_NONCE (a used nonce) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    submitVetoSignature: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description request id in decimal (uint256) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignatureInput"];
            };
        };
        responses: {
            /** @description stored; the updated veto */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VetoView"];
                };
            };
            /** @description SIGNATURE_MALFORMED, BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SIGNER_NOT_OWNER */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REQUEST_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SIGNATURE_DUPLICATE, VETO_WINDOW_CLOSED, VETO_NOT_AVAILABLE (also: set aside while the signature was checked) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SIGNATURE_WRONG_CHAIN, SIGNATURE_WRONG_SAFE, SIGNATURE_WRONG_NONCE, SIGNATURE_WRONG_REQUEST, SIGNER_IS_CONTRACT, NONCE_OUT_OF_RANGE */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SAFE_READ_FAILED, RPC_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFulfil: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description request id in decimal (uint256) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the fulfil proposal */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VetoView"];
                };
            };
            /** @description BAD_REQUEST: the id is not a decimal integer */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REQUEST_NOT_FOUND; FULFIL_NOT_AVAILABLE (the slasher role is not a Safe, or no fulfil is planned for this request) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    submitFulfilSignature: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description request id in decimal (uint256) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignatureInput"];
            };
        };
        responses: {
            /** @description stored; the updated fulfil */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VetoView"];
                };
            };
            /** @description SIGNATURE_MALFORMED, BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SIGNER_NOT_OWNER (e.g. a committee owner: the message names the Safe they own) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REQUEST_NOT_FOUND, FULFIL_NOT_AVAILABLE */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SIGNATURE_DUPLICATE, FULFIL_CLOSED (the request is vetoed, fulfilled or lapsed, the fulfil is settled, or it was set aside while the signature was checked) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SIGNATURE_WRONG_CHAIN, SIGNATURE_WRONG_SAFE, SIGNATURE_WRONG_NONCE, SIGNATURE_WRONG_REQUEST, SIGNER_IS_CONTRACT, NONCE_OUT_OF_RANGE */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SAFE_READ_FAILED, RPC_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSafePlan: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the plan */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SafePlan"];
                };
            };
            /** @description VETO_NOT_AVAILABLE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SAFE_READ_FAILED, RPC_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRejection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Safe nonce in decimal */
                nonce: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the rejection (status collecting and no signatures until one is stored) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RejectionView"];
                };
            };
            /** @description BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description VETO_NOT_AVAILABLE, REJECTION_NOT_NEEDED (the nonce is used; an executed or failed rejection there is shown) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    submitRejectionSignature: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Safe nonce in decimal */
                nonce: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SafeSignatureInput"];
            };
        };
        responses: {
            /** @description stored; the updated rejection */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RejectionView"];
                };
            };
            /** @description SIGNATURE_MALFORMED, BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SIGNER_NOT_OWNER */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SIGNATURE_DUPLICATE, REJECTION_NOT_NEEDED (the nonce blocks no veto with quorum, is used, or the rejection is settled or was set aside while the signature was checked), VETO_NOT_AVAILABLE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SIGNATURE_WRONG_CHAIN, SIGNATURE_WRONG_NONCE, SIGNER_IS_CONTRACT, NONCE_OUT_OF_RANGE (beyond the last planned nonce + 5: refused before any work) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    proposeBatchVeto: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BatchProposalInput"];
            };
        };
        responses: {
            /** @description the batch */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchView"];
                };
            };
            /** @description BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REQUEST_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BATCH_NOT_AVAILABLE (no MultiSendCallOnly address), VETO_WINDOW_CLOSED, VETO_NOT_AVAILABLE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBatchVeto: {
        parameters: {
            query?: {
                /** @description comma-separated request ids of the batch (up to 50) */
                requestIds?: string;
            };
            header?: never;
            path: {
                /** @description Safe nonce in decimal */
                nonce: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the batch */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchView"];
                };
            };
            /** @description BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BATCH_NOT_AVAILABLE, BATCH_AMBIGUOUS (several at the nonce, none with the most signatures: name its requestIds), VETO_NOT_AVAILABLE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    submitBatchSignature: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Safe nonce in decimal */
                nonce: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SafeSignatureInput"];
            };
        };
        responses: {
            /** @description stored; the updated batch */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchView"];
                };
            };
            /** @description SIGNATURE_MALFORMED, BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SIGNER_NOT_OWNER */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REQUEST_NOT_FOUND (proposing it again) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SIGNATURE_DUPLICATE, BATCH_NOT_AVAILABLE, BATCH_AMBIGUOUS, VETO_NOT_AVAILABLE, VETO_WINDOW_CLOSED (proposing it again) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SIGNATURE_WRONG_CHAIN, SIGNATURE_WRONG_NONCE, SIGNER_IS_CONTRACT */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description an endless text/event-stream; each `data:` is JSON */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description SERVICE_BUSY (too many open streams; Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    siweNonce: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the nonce to put in the message */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SiweNonce"];
                };
            };
            /** @description NOT_FOUND: sign-in is not available on this desk */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    siweVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SiweVerifyInput"];
            };
        };
        responses: {
            /** @description signed in */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SiweSession"];
                };
            };
            /** @description SIWE_MESSAGE_INVALID: not EIP-4361, another domain or chain, expired */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SIWE_NONCE_INVALID (unknown, expired or used), SIWE_SIGNATURE_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: sign-in is not available on this desk */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    siweMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the session (nulls when not signed in) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SiweSession"];
                };
            };
            /** @description NOT_FOUND: sign-in is not available on this desk */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    siweLogout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description signed out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description NOT_FOUND: sign-in is not available on this desk */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listNotes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description request id in decimal (uint256) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description notes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NoteList"];
                };
            };
            /** @description BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    addNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description request id in decimal (uint256) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NoteInput"];
            };
        };
        responses: {
            /** @description stored */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Note"];
                };
            };
            /** @description NOTE_INVALID, BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_SIGNED_IN */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_AN_OWNER */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REQUEST_NOT_FOUND; NOT_FOUND (notes are not available on this desk) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SAFE_READ_FAILED */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTimeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description request id in decimal (uint256) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the timeline */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timeline"];
                };
            };
            /** @description BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REQUEST_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getVetoExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description request id in decimal (uint256) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the call */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SafeExecutionCall"];
                };
            };
            /** @description BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description VETO_NOT_AVAILABLE (no Safe at the committee address, executed, failed, the request gone from the index or its id reused by a later request), VETO_WINDOW_CLOSED, SAFE_TX_NOT_READY (nobody signed yet, below threshold, a lower nonce first, or the request under too few CONFIRMATIONS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SAFE_READ_FAILED */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFulfilExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description request id in decimal (uint256) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the call */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SafeExecutionCall"];
                };
            };
            /** @description BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description FULFIL_NOT_AVAILABLE (the slasher role is no Safe, executed, the request gone from the index or its id reused by a later request) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description FULFIL_CLOSED, SAFE_TX_NOT_READY (nobody signed yet, below threshold, a lower nonce first, or held as the desk's own key is: the window runs, the request lapsed without FULFIL_AFTER_LAPSE, its history is still being read, a gap longer than DEALLOCATION_DELAY is unread) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SAFE_READ_FAILED */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getStrategyTokens: {
        parameters: {
            query: {
                /** @description 1 to 50 strategy addresses, comma-separated */
                address: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description tokens */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StrategyTokens"];
                };
            };
            /** @description BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDevAccounts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the dev accounts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DevAccounts"];
                };
            };
            /** @description NOT_FOUND: not the embedded devnet */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDevOperators: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the operators */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DevOperators"];
                };
            };
            /** @description NOT_FOUND: not the embedded devnet */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    queueDevRequest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["DevRequestInput"];
            };
        };
        responses: {
            /** @description queued */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DevRequestQueued"];
                };
            };
            /** @description BAD_REQUEST: unknown field, wrong type, percent outside 1–100, description over 500 characters, or an operator the devnet does not have */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: not the embedded devnet */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenAPI 3.1 document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
}
