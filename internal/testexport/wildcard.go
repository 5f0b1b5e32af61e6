package testexport

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

// WriteWildcard writes an account export of n roles, each with a narrow
// inline policy of its own; with wide set, every role also has an inline
// policy "admin", one Allow of Action "*" on Resource "*", the same
// document in all n, so that the bundle holds it once with n uses (issue
// 23's diff bound: NEW grants every principal every action OLD did not,
// and a shared policy's uses must not be repeated on every line).
func WriteWildcard(path string, n int, wide bool) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	io.WriteString(w, `{"UserDetailList":[],"GroupDetailList":[],"Policies":[],"RoleDetailList":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			w.WriteByte(',')
		}
		fmt.Fprintf(w, `{"Path":"/","RoleName":"role-%d","RoleId":"AROA%016d","Arn":"arn:aws:iam::111111111111:role/role-%d",`, i, i, i)
		io.WriteString(w, `"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]},`)
		fmt.Fprintf(w, `"Tags":[],"AttachedManagedPolicies":[],"RolePolicyList":[{"PolicyName":"own","PolicyDocument":{"Version":"2012-10-17","Statement":[`)
		fmt.Fprintf(w, `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-%d/*"}]}}`, i)
		if wide {
			io.WriteString(w, `,{"PolicyName":"admin","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}`)
		}
		io.WriteString(w, `]}`)
	}
	io.WriteString(w, "]}\n")
	return w.Flush()
}
