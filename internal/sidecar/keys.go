package sidecar

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
)

// KeyPair is an RSA signing key in PEM: the private key signs bundles
// (bundles.Sign, `iam2rego build --signing-key`), the public key goes into
// OPA's config under keys.<id>.key.
type KeyPair struct {
	PrivatePEM string // PKCS#8 "PRIVATE KEY", as `openssl genpkey` writes it
	PublicPEM  string // PKIX "PUBLIC KEY", as `openssl pkey -pubout` writes it
}

// NewRSAKey generates a 2048-bit RSA key (RS256 signatures).
func NewRSAKey() (*KeyPair, error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	priv, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return nil, err
	}
	return &KeyPair{
		PrivatePEM: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: priv})),
		PublicPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})),
	}, nil
}
