// Package testexport writes large synthetic account exports for tests.
// Never imported by production code.
package testexport

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

// WriteRoles writes an account export of n roles, each with its own
// inline policy of stmts statements (so that every policy is a distinct
// module to compile), streaming, without holding it in memory. It returns
// the file's size.
func WriteRoles(path string, n, stmts int) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
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
		fmt.Fprintf(w, `"Tags":[{"Key":"team","Value":"t%d"}],"AttachedManagedPolicies":[],"RolePolicyList":[{"PolicyName":"p","PolicyDocument":{"Version":"2012-10-17","Statement":[`, i)
		for j := 0; j < stmts; j++ {
			if j > 0 {
				w.WriteByte(',')
			}
			fmt.Fprintf(w, `{"Sid":"S%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-%d/prefix-%d/*"}`, j, i, j)
		}
		io.WriteString(w, `]}}]}`)
	}
	io.WriteString(w, "]}\n")
	if err := w.Flush(); err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
