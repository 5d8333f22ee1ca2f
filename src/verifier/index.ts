/**
 * `auth0-mcp/verifier`: server-side validation of Auth0 access tokens from the validation contract a stack exports.
 * Loads jose and node built-ins only — never Pulumi, the components or the checker.
 *
 *   const { contract, protectedResourceMetadata } = await loadValidationContract("apis.json", { identifier });
 *   const verifier = createTokenVerifier(contract);
 *   app.use(protectedResourceMetadataHandler(contract, protectedResourceMetadata!));
 *   app.use("/mcp", bearerAuth(verifier));
 */
export type { ValidationContract, ProtectedResourceMetadata, LoadedContract, LoadContractOptions } from "./contract";
export {
    ASYMMETRIC_JWS_ALGORITHMS,
    ContractError,
    loadValidationContract,
    parseValidationContract,
    selectContract,
} from "./contract";
export type { RejectionCode } from "./errors";
export { TokenRejectedError } from "./errors";
export type { KeySetOptions } from "./jwks";
export type { TokenVerifier, VerifiedToken, VerifierOptions } from "./verify";
export { DEFAULT_MAX_TOKEN_LENGTH, createTokenVerifier } from "./verify";
export type { McpAuthInfo } from "./auth-info";
export { toAuthInfo } from "./auth-info";
export type { AuthenticatedRequest, Refusal } from "./http";
export { authenticate, bearerAuth, bearerToken, refusal, sendRefusal, wwwAuthenticate } from "./http";
export { metadataPath, protectedResourceMetadataHandler } from "./metadata";
