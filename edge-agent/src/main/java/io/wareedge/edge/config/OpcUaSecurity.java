package io.wareedge.edge.config;

/**
 * How the agent secures its channel to an OPC UA server. {@code NONE} sends everything in clear (a PLC on an
 * isolated machine network); the Basic256Sha256 modes sign, or sign and encrypt, with the agent's own
 * certificate, which the PLC must trust, and check the PLC's certificate against the agent's trust list.
 */
public enum OpcUaSecurity {
    NONE, BASIC256SHA256_SIGN, BASIC256SHA256_SIGN_AND_ENCRYPT
}
