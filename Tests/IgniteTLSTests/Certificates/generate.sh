#!/bin/sh
# Generates the test PKI used by IgniteTLSTests. Run ONCE; the PEM files are committed and the tests never run
# this script. Validity: 100 years. Needs the `openssl` command-line tool (OpenSSL 3).
#
#   ca.pem / ca.key                     the test CA (self-signed)
#   server.pem / server.key             server certificate for DNS:localhost, IP:127.0.0.1, IP:::1 (EC P-256), signed by the CA
#   wrong-name.pem / wrong-name.key     server certificate for DNS:wrong.example.com only, signed by the CA
#   client.pem / client.key             client certificate (CN=ignite-client, RSA 2048), signed by the CA
#   client-encrypted.key                client.key encrypted (PKCS#8, AES-256-CBC) with the password "ignite-secret"
#   untrusted-ca.pem / untrusted-ca.key an unrelated self-signed CA nobody trusts
#   untrusted-server.pem / .key         server certificate for localhost/127.0.0.1/::1 signed by the untrusted CA
set -eu
cd "$(dirname "$0")"
DAYS=36500
export MSYS_NO_PATHCONV=1

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

make_ca() { # name subject
    ec_key "$1.key"
    openssl req -x509 -new -key "$1.key" -sha256 -days $DAYS -subj "$2" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -addext "subjectKeyIdentifier=hash" -out "$1.pem"
}

sign() { # name ca subject extensions-file
    openssl req -new -key "$1.key" -subj "$3" -out "$1.csr"
    openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days $DAYS -sha256 \
        -extfile "$4" -out "$1.pem"
    rm -f "$1.csr"
}

cat > server.ext <<'X'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
X
cat > wrong.ext <<'X'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:wrong.example.com
X
cat > client.ext <<'X'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth
X

make_ca ca "/O=swift-ignite tests/CN=swift-ignite Test CA"
make_ca untrusted-ca "/O=nobody/CN=Untrusted Test CA"

ec_key server.key
sign server ca "/O=swift-ignite tests/CN=localhost" server.ext

ec_key wrong-name.key
sign wrong-name ca "/O=swift-ignite tests/CN=wrong.example.com" wrong.ext

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client.key
sign client ca "/O=swift-ignite tests/CN=ignite-client" client.ext
openssl pkcs8 -topk8 -v2 aes-256-cbc -in client.key -passout pass:ignite-secret -out client-encrypted.key

ec_key untrusted-server.key
sign untrusted-server untrusted-ca "/O=nobody/CN=localhost" server.ext

rm -f server.ext wrong.ext client.ext ./*.srl
